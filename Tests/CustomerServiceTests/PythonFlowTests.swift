import Foundation
import XCTest

/// The reference peer (Python grpcio) drives a full flow against the real `customer-service`
/// executable: Tests/interop/customer_flow.py, started as a process against the binary this
/// build produced, with a temp data dir; then SIGTERM must drain and exit 0.
final class PythonFlowTests: XCTestCase {
    private static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary sits next to the test bundle in the build directory.
    private static func serviceBinary() -> String? {
        let bundleDirectory = Bundle(for: PythonFlowTests.self).bundleURL.deletingLastPathComponent()
        let candidates = [
            bundleDirectory.appendingPathComponent("customer-service").path,
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("customer-service").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private static func python() throws -> String? {
        let process = Process()
        process.executableURL = repositoryRoot.appendingPathComponent("scripts/pyenv")
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let path = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return path.isEmpty ? nil : path
    }

    func testFullFlowDrivenByGrpcio() async throws {
        guard let binary = Self.serviceBinary() else {
            throw XCTSkip("customer-service binary not found next to the test bundle; build with `swift build --build-tests` first")
        }
        guard let python = try Self.python() else { throw XCTSkip("scripts/pyenv could not provide a Python with grpcio") }
        let dataDirectory = NSTemporaryDirectory() + "customer-flow-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }

        let log = FileManager.default.temporaryDirectory.appendingPathComponent("customer-service-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let service = Process()
        service.executableURL = URL(fileURLWithPath: binary)
        service.arguments = [
            "--host", "127.0.0.1", "--port", "0", "--admin-host", "127.0.0.1", "--admin-port", "0",
            "--data-dir", dataDirectory, "--log-format", "json",
        ]
        let logHandle = try FileHandle(forWritingTo: log)
        service.standardOutput = logHandle
        service.standardError = logHandle
        try service.run()
        defer { if service.isRunning { service.terminate() } }

        let port = try await Self.waitForGRPCPort(log: log, process: service)
        let (status, output) = try await Self.run(python, [Self.repositoryRoot.appendingPathComponent("Tests/interop/customer_flow.py").path, "127.0.0.1:\(port)"])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("customer flow OK"), output)

        kill(service.processIdentifier, SIGTERM)
        for _ in 0..<200 where service.isRunning { try await Task.sleep(for: .milliseconds(25)) }
        XCTAssertFalse(service.isRunning, "customer-service did not stop within 5 s of SIGTERM")
        XCTAssertEqual(service.terminationStatus, 0, "SIGTERM drains and exits 0")
        let lines = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        XCTAssertTrue(lines.contains(#""message":"stopped""#), lines)
    }

    /// The port from the runner's "serving" log line (`"grpc":"127.0.0.1:NNNN"`).
    private static func waitForGRPCPort(log: URL, process: Process) async throws -> Int {
        for _ in 0..<400 {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #""grpc":"127.0.0.1:"#) {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits) { return port }
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        throw StartFailure(log: text)
    }

    /// customer-service exited or never logged "serving"; carries its log for the failure.
    private struct StartFailure: Error, CustomStringConvertible {
        let log: String
        var description: String { "customer-service did not start serving within 10 s; its log:\n\(log)" }
    }

    private static func run(_ executable: String, _ arguments: [String]) async throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("customer-flow-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        try handle.close()
        return (status, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }
}
