import Foundation
import Synchronization

/// One running child: spawned in its own process group (so a terminal's Ctrl-C reaches only
/// the runner, which then stops the children in order), stdout and stderr merged into one
/// pipe read line by line on a thread, and reaped by another thread.
public final class ChildProcess: Sendable {
    public let command: ChildCommand
    public let pid: pid_t
    private let state = Mutex(State())

    private struct State {
        var exitStatus: Int32?
        var recentLines: [String] = []
    }

    /// How many of the last output lines are kept for error messages.
    static let keptLines = 20

    /// Starts `command`; each output line goes to `onLine` (on the reader thread).
    public static func spawn(
        _ command: ChildCommand, onLine: @escaping @Sendable (String) -> Void
    ) throws -> ChildProcess {
        guard FileManager.default.isExecutableFile(atPath: command.executablePath) else {
            throw MeshError("\(command.service.executable) is missing: no executable at \(command.executablePath)")
        }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw MeshError("pipe() failed: \(String(cString: strerror(errno)))") }
        let (readEnd, writeEnd) = (fds[0], fds[1])

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)
        posix_spawn_file_actions_addclose(&actions, readEnd)
        posix_spawn_file_actions_addclose(&actions, writeEnd)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Own process group; default dispositions for the signals the runner ignores (SIG_IGN
        // would be inherited through exec); nothing blocked.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGPIPE, SIGHUP] { sigaddset(&defaults, number) }
        var noneBlocked = sigset_t()
        sigemptyset(&noneBlocked)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &noneBlocked)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = [command.executablePath] + command.arguments
        var environment = ProcessInfo.processInfo.environment
        environment.merge(command.environment) { _, new in new }
        let envp = environment.map { "\($0.key)=\($0.value)" }

        var pid: pid_t = 0
        let result = withCStrings(argv) { cArgv in
            withCStrings(envp) { cEnvp in
                posix_spawn(&pid, command.executablePath, &actions, &attributes, cArgv, cEnvp)
            }
        }
        close(writeEnd)
        guard result == 0 else {
            close(readEnd)
            throw MeshError("could not start \(command.executablePath): \(String(cString: strerror(result)))")
        }
        let child = ChildProcess(command: command, pid: pid)
        child.startReading(readEnd, onLine: onLine)
        child.startReaping()
        return child
    }

    private init(command: ChildCommand, pid: pid_t) {
        self.command = command
        self.pid = pid
    }

    /// The exit status once the child ended (for a signal: 128 + its number), else nil.
    public var exitStatus: Int32? { state.withLock { $0.exitStatus } }
    public var isRunning: Bool { exitStatus == nil }
    /// The last lines it printed, oldest first.
    public var recentLines: [String] { state.withLock { $0.recentLines } }

    /// Sends `signal` to the child (not its group: it may have started helpers of its own to stop).
    public func send(_ signal: Int32) {
        guard isRunning else { return }
        kill(pid, signal)
    }

    /// Waits until the child ended or `timeout` passed; returns whether it ended.
    @discardableResult
    public func waitForExit(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while isRunning {
            if ContinuousClock.now >= deadline { return false }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return true
    }

    /// SIGTERM, wait up to `grace`, then SIGKILL; returns once the child is reaped.
    public func stop(grace: Duration) {
        send(SIGTERM)
        if !waitForExit(timeout: grace) {
            send(SIGKILL)
            waitForExit(timeout: .seconds(30))
        }
    }

    private func startReading(_ fd: Int32, onLine: @escaping @Sendable (String) -> Void) {
        let thread = Thread { [self] in
            var splitter = LineSplitter()
            var buffer = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                for line in splitter.feed(buffer[0..<count]) { deliver(line, onLine) }
            }
            if let rest = splitter.finish() { deliver(rest, onLine) }
            close(fd)
        }
        thread.name = "mesh.\(command.service.name).output"
        thread.start()
    }

    private func deliver(_ line: String, _ onLine: @Sendable (String) -> Void) {
        state.withLock {
            $0.recentLines.append(line)
            if $0.recentLines.count > Self.keptLines { $0.recentLines.removeFirst() }
        }
        onLine(line)
    }

    private func startReaping() {
        let pid = self.pid
        let thread = Thread { [self] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let exit: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            state.withLock { $0.exitStatus = exit }
        }
        thread.name = "mesh.\(command.service.name).reaper"
        thread.start()
    }
}

/// Calls `body` with a NULL-terminated C array of C strings that lives for the call.
func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers)
}

/// A mesh failure with a message for a person (which service, which port, which file).
public struct MeshError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
