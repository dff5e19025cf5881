import Foundation

/// A real child process in an interop test: our executables from the build directory, or the
/// reference implementation's scripts in the venv that scripts/pyenv creates.
final class PeerProcess {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Where `swift build` put our executables: beside the test bundle.
    static var buildDirectory: URL {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("interop-server").path) {
            url.deleteLastPathComponent()
        }
        return url
    }

    static func ourExecutable(_ name: String) throws -> String {
        let path = buildDirectory.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw PeerError("\(name) not found next to the test bundle (build with `swift build --build-tests`)")
        }
        return path
    }

    static func python() throws -> String {
        let result = try PeerProcess.run(repositoryRoot.appendingPathComponent("scripts/pyenv").path, [])
        guard result.status == 0, let path = result.output.split(separator: "\n").last else { throw PeerError(result.output) }
        return String(path)
    }

    static func script(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Tests/interop/\(name)").path
    }

    /// Runs to completion, with a time limit; returns the exit status and all output.
    static func run(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(120)) throws -> (status: Int32, output: String) {
        let process = PeerProcess(executable, arguments)
        try process.start()
        let deadline = ContinuousClock.now + timeout
        while process.process.isRunning {
            if ContinuousClock.now > deadline {
                process.stop()
                throw PeerError("\(executable) timed out after \(timeout):\n\(process.output)")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return (process.process.terminationStatus, process.output)
    }

    let process = Process()
    private let outputPipe = Pipe()
    private let collected = OutputBuffer()

    init(_ executable: String, _ arguments: [String]) {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = outputPipe
        process.standardError = outputPipe
        let collected = self.collected
        outputPipe.fileHandleForReading.readabilityHandler = { handle in
            collected.append(handle.availableData)
        }
    }

    func start() throws { try process.run() }

    var output: String { collected.text }

    /// Waits for a line `listening PORT` and returns the port.
    func waitForPort(timeout: Duration = .seconds(60)) throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = output.split(separator: "\n").first(where: { $0.hasPrefix("listening ") }),
               let port = Int(line.dropFirst("listening ".count)) {
                return port
            }
            guard process.isRunning else { throw PeerError("exited before listening:\n\(output)") }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw PeerError("did not report a port in time:\n\(output)")
    }

    /// SIGTERM, then SIGKILL if it lingers; returns the exit status.
    @discardableResult
    func stop(grace: Duration = .seconds(10)) -> Int32 {
        if process.isRunning { process.terminate() }
        let deadline = ContinuousClock.now + grace
        while process.isRunning && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        return process.terminationStatus
    }

    deinit { stop(grace: .seconds(2)) }
}

/// Output gathered from a pipe on another thread.
final class OutputBuffer: @unchecked Sendable {
    // Sendable: every access goes through `lock`.
    private let lock = NSLock()
    private var data = Data()

    func append(_ chunk: Data) { lock.lock(); data.append(chunk); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }
}

struct PeerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
