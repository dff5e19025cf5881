import CustomerAPI
import Foundation
import GRPCHealthV1
import MeshAuth
import RPCCore
import ServiceTestSupport
import Transport
import XCTest

/// The real customer-service executable: `--auth-public-key` turns authentication on (every call
/// needs a token, health does not), and without it the process says loudly that it is off.
final class AuthProcessTests: XCTestCase {
    /// customer-service from the build directory the test bundle runs from.
    private static var binary: String? {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            let candidate = url.appendingPathComponent("customer-service").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            url.deleteLastPathComponent()
        }
        return nil
    }

    /// A running customer-service with its log file; stopped with SIGTERM by `stop()`.
    private struct Service {
        let process: Process
        let log: URL
        let port: Int

        var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

        func stop() async throws -> Int32 {
            kill(process.processIdentifier, SIGTERM)
            for _ in 0..<400 where process.isRunning { try await Task.sleep(for: .milliseconds(25)) }
            if process.isRunning { process.terminate() }
            return process.terminationStatus
        }
    }

    private func start(_ directory: ScratchDirectory, _ arguments: [String]) async throws -> Service {
        guard let binary = Self.binary else { throw XCTSkip("customer-service not found next to the test bundle; build with --build-tests") }
        let log = URL(fileURLWithPath: directory.path + "/service-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "--host", "127.0.0.1", "--port", "0", "--admin-host", "127.0.0.1", "--admin-port", "0",
            "--data-dir", directory.path + "/data-\(UUID().uuidString)", "--log-format", "json",
        ] + arguments
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        for _ in 0..<400 {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #""grpc":"127.0.0.1:"#), let port = Int(text[range.upperBound...].prefix(while: \.isNumber)) {
                return Service(process: process, log: log, port: port)
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        if process.isRunning { process.terminate() }
        throw XCTSkip("customer-service did not start: " + ((try? String(contentsOf: log, encoding: .utf8)) ?? ""))
    }

    func testWithAPublicKeyEveryCallNeedsAToken() async throws {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        let pair = try DevelopmentKeyPair.loadOrGenerate(in: directory.path + "/keys")
        let service = try await start(directory, ["--auth-public-key", pair.publicKeyPath, "--auth-audience", "test-mesh"])
        let channel = try GRPCChannel(target: "127.0.0.1:\(service.port)")
        let client = CustomerServiceClient(channel: channel)
        let request = GetCustomerRequest.with { $0.customerID = "CUS-" + String(repeating: "0", count: 26) }

        await XCTAssertStatus(.unauthenticated, "missing credentials") { _ = try await client.getCustomer(request, options: .timeout(.seconds(5))) }
        let minter = TokenMinter(privateKey: try pair.loadPrivateKey())
        func token(audience: String) throws -> String {
            try minter.mint(TokenClaims(
                subject: "process-test", businessUnit: .regulated, scopes: ["customer.read"], audience: audience,
                issuedAt: Date(), expiresAt: Date().addingTimeInterval(60)))
        }
        await XCTAssertStatus(.unauthenticated, "audience") { _ = try await client.getCustomer(request, options: bearer(try token(audience: "quantum-mesh"))) }
        await XCTAssertStatus(.notFound) { _ = try await client.getCustomer(request, options: bearer(try token(audience: "test-mesh"))) }
        let health = try await HealthClient(channel: channel).check(.with { $0.service = "" }, options: .timeout(.seconds(5)))
        XCTAssertEqual(health.status, .serving)

        channel.close()
        let status = try await service.stop()
        XCTAssertEqual(status, 0)
        XCTAssertFalse(service.logText.contains("AUTHENTICATION IS OFF"), service.logText)
        XCTAssertTrue(service.logText.contains("authentication on"), service.logText)
    }

    func testWithoutAKeyAuthenticationIsOffAndSaysSo() async throws {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        let service = try await start(directory, [])
        let channel = try GRPCChannel(target: "127.0.0.1:\(service.port)")
        await XCTAssertStatus(.notFound) {
            _ = try await CustomerServiceClient(channel: channel).getCustomer(
                .with { $0.customerID = "CUS-" + String(repeating: "0", count: 26) }, options: .timeout(.seconds(5)))
        }
        channel.close()
        _ = try await service.stop()
        XCTAssertTrue(service.logText.contains("AUTHENTICATION IS OFF"), service.logText)
    }

    func testABadKeyFileStopsTheProcessAtStart() async throws {
        guard let binary = Self.binary else { throw XCTSkip("customer-service not found next to the test bundle") }
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--port", "0", "--admin-port", "0", "--data-dir", directory.path, "--auth-public-key", directory.path + "/absent.pem"]
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertNotEqual(process.terminationStatus, 0)
        XCTAssertTrue(output.contains("--auth-public-key") && output.contains("absent.pem"), output)
    }
}
