import Foundation

extension ChildProcess {
    /// What a program that ran to completion left.
    public struct Completion: Sendable {
        public let status: Int32
        /// stdout (and stderr, when they were merged).
        public let output: String
        /// stderr, when it was captured separately.
        public let errorOutput: String
    }

    /// Runs `executable` to completion; one still running after `timeout` is stopped
    /// (SIGTERM, then SIGKILL) and, when `throwOnTimeout`, that is an error.
    public static func run(
        _ executable: String, _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
        directory: URL? = nil, output: Output = .merged, timeout: Duration = .seconds(120), throwOnTimeout: Bool = true
    ) throws -> Completion {
        let child = ChildProcess(executable, arguments, environment: environment, directory: directory, output: output)
        try child.start(stdin: stdin)
        let finished = child.waitForExit(timeout: timeout)
        let status = child.stop()
        if !finished && throwOnTimeout { throw ChildProcessError("\(executable) timed out after \(timeout):\n\(child.output)") }
        return Completion(status: status, output: child.output, errorOutput: child.errorOutput)
    }
}
