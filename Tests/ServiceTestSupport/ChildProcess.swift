import Foundation

/// A real program started by a test, with its output captured. It never outlives its owner:
/// `stop` (SIGTERM, then SIGKILL after a grace period) runs at the latest on deinit.
public final class ChildProcess {
    /// Where the child's stdout and stderr go.
    public enum Output {
        /// Both into one pipe: `output`.
        case merged
        /// stdout into `output`, stderr into `errorOutput`.
        case separate
        /// Both into this file, truncated first (so what is read is this run's); `output` reads it.
        case file(URL)
    }

    public let executable: String
    private let process = Process()
    private let capture: Output
    private let stdout = CapturedOutput(), stderr = CapturedOutput()
    private let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
    private var started = false

    /// `environment` is added to (and overrides) the test's own; `directory` is the working directory.
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil,
        output: Output = .merged
    ) {
        self.executable = executable
        capture = output
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
        if let directory { process.currentDirectoryURL = directory }
    }

    /// Launches it; `stdin` (when given) is written to its standard input, which is then closed.
    public func start(stdin: String? = nil) throws {
        var logHandle: FileHandle?
        defer { try? logHandle?.close() }  // the child has its own copy once it runs
        switch capture {
        case .merged:
            process.standardOutput = outPipe
            process.standardError = outPipe
            stdout.attach(outPipe)
        case .separate:
            process.standardOutput = outPipe
            process.standardError = errPipe
            stdout.attach(outPipe)
            stderr.attach(errPipe)
        case .file(let log):
            guard FileManager.default.createFile(atPath: log.path, contents: nil) else { throw ChildProcessError("cannot create \(log.path)") }
            let handle = try FileHandle(forWritingTo: log)
            logHandle = handle
            process.standardOutput = handle
            process.standardError = handle
        }
        // Never the test's own stdin: a child that reads it sees `stdin` or an end of file.
        process.standardInput = inPipe
        try process.run()
        started = true
        if let stdin { inPipe.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? inPipe.fileHandleForWriting.close()
    }

    /// All it printed so far (stdout and stderr, unless they are `.separate`).
    public var output: String {
        if case .file(let log) = capture { return (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
        return stdout.text
    }

    /// Its stderr, with `.separate` output.
    public var errorOutput: String { stderr.text }

    public var isRunning: Bool { process.isRunning }
    public var processIdentifier: Int32 { process.processIdentifier }

    /// Sends `number` (SIGSTOP, SIGCONT, ...) while it runs.
    public func signal(_ number: Int32) {
        if process.isRunning { kill(process.processIdentifier, number) }
    }

    /// Waits up to `timeout` for it to exit by itself; true when it did.
    @discardableResult
    public func waitForExit(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.01) }
        return !process.isRunning
    }

    /// Polls what it printed until `parse` finds a value (e.g. its bound port); throws with its
    /// output when it exits first or `timeout` passes.
    public func waitFor<Value>(_ what: String, timeout: Duration = .seconds(30), _ parse: (String) -> Value?) throws -> Value {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let text = output
            if let value = parse(text) { return value }
            guard process.isRunning else { throw ChildProcessError("\(executable) exited before \(what):\n\(output)") }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw ChildProcessError("\(executable) did not report \(what) in \(timeout):\n\(output)")
    }

    /// Sends `signal` (SIGTERM: drain and exit; SIGKILL: a crash), waits up to `grace` for the
    /// exit and kills it if it lingers. Returns its exit status (0 if it never started).
    @discardableResult
    public func stop(_ signal: Int32 = SIGTERM, grace: Duration = .seconds(10)) -> Int32 {
        guard started else { return 0 }
        self.signal(signal)
        if !waitForExit(timeout: grace) { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        finishCapture()
        return process.terminationStatus
    }

    /// Once it exited: the pipes' remaining bytes, and no reader threads left behind.
    private func finishCapture() {
        switch capture {
        case .merged: stdout.drain(outPipe)
        case .separate: stdout.drain(outPipe); stderr.drain(errPipe)
        case .file: break
        }
    }

    deinit { stop(grace: .seconds(2)) }
}
