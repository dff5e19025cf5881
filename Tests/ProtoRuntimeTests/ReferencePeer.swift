import Foundation

/// Runs the reference implementation's side of a test: a Python script in the venv that
/// scripts/pyenv creates (grpcio, protobuf). Output is captured so a failure explains itself.
enum ReferencePeer {
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The venv's python (created on first use).
    static func python() throws -> String {
        let result = try run(repositoryRoot.appendingPathComponent("scripts/pyenv").path, [])
        guard result.status == 0 else { throw PeerFailure(output: result.output) }
        return result.output.split(separator: "\n").last.map(String.init) ?? ""
    }

    /// Runs `Tests/interop/<script>` with `arguments`; returns exit status and combined output.
    static func runScript(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try run(try python(), [repositoryRoot.appendingPathComponent("Tests/interop/\(script)").path] + arguments)
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    struct PeerFailure: Error, CustomStringConvertible {
        let output: String
        var description: String { "reference peer failed:\n\(output)" }
    }
}
