import Foundation
import ServiceTestSupport

/// Runs programs for the mesh tests: the repository's scripts, our executables from the build
/// directory, docker-compose and python3.
enum ProcessRunner {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Where `swift build` put our executables: beside the test bundle.
    static var buildDirectory: URL { BuiltExecutables.directory(containing: "qe") ?? URL(fileURLWithPath: "/") }

    static func executable(_ name: String) -> String { buildDirectory.appendingPathComponent(name).path }

    /// The first of `names` found on PATH.
    static func onPath(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs to completion (stopped after `timeout`), collecting stdout and stderr separately.
    static func run(
        _ executable: String, _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
        directory: URL = repositoryRoot, timeout: TimeInterval = 60
    ) throws -> Result {
        let run = try ServiceTestSupport.ChildProcess.run(
            executable, arguments, stdin: stdin, environment: environment, directory: directory, output: .separate,
            timeout: .milliseconds(Int(timeout * 1000)), throwOnTimeout: false)
        return Result(status: run.status, stdout: run.output, stderr: run.errorOutput)
    }
}
