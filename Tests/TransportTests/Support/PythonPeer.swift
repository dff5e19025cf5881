import Foundation

/// Runs the reference peers (Python grpcio scripts under Tests/interop) as real processes.
enum PythonPeer {
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func script(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Tests/interop/\(name)").path
    }

    /// The venv python with grpcio (`scripts/pyenv` creates it once and prints its path).
    static let python: String? = {
        guard let result = try? runSync(repositoryRoot.appendingPathComponent("scripts/pyenv").path, []),
              result.status == 0 else { return nil }
        let path = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        return path.isEmpty ? nil : path
    }()

    /// Runs a script to completion; returns its exit status and stdout+stderr.
    static func run(_ scriptName: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        guard let python else { throw PeerError.noPython }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script(scriptName)] + arguments
        let outputURL = FileManager.default.temporaryDirectory.appendingPathComponent("peer-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)
        process.standardOutput = output
        process.standardError = output
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        try output.close()
        defer { try? FileManager.default.removeItem(at: outputURL) }
        return (status, (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "")
    }

    /// Starts a long-running server script that writes its port to a file; returns the process
    /// and the port once it is serving.
    static func startServer(_ scriptName: String) async throws -> (process: Process, port: Int) {
        guard let python else { throw PeerError.noPython }
        let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("peer-port-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script(scriptName), portFile.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<300 {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let port = Int(text) {
                try? FileManager.default.removeItem(at: portFile)
                return (process, port)
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw PeerError.serverDidNotStart
    }

    private static func runSync(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    enum PeerError: Error {
        case noPython
        case serverDidNotStart
    }
}
