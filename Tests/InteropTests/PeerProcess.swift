import Foundation
import ServiceTestSupport

/// The interop peers as child processes: our executables from the build directory, or the
/// reference implementation's scripts in the venv that scripts/pyenv creates.
enum PeerProcess {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func ourExecutable(_ name: String) throws -> String { try BuiltExecutables.require(name) }

    /// The venv's python, made (or found up to date) by scripts/pyenv.
    static func python() throws -> String {
        let result = try run(repositoryRoot.appendingPathComponent("scripts/pyenv").path, [])
        guard result.status == 0, let path = result.output.split(separator: "\n").last else { throw ChildProcessError(result.output) }
        return String(path)
    }

    static func script(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Tests/interop/\(name)").path
    }

    /// Runs to completion, with a time limit; returns the exit status and all output.
    static func run(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(120)) throws -> (status: Int32, output: String) {
        let result = try ChildProcess.run(executable, arguments, timeout: timeout)
        return (result.status, result.output)
    }
}

extension ChildProcess {
    /// Waits for the peer's line `listening PORT` and returns the port.
    func waitForPort(timeout: Duration = .seconds(60)) throws -> Int {
        try waitFor("a port", timeout: timeout, BoundPort.fromListeningLine)
    }
}
