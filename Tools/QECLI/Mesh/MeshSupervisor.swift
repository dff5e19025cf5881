import Foundation
import Synchronization

/// Starts the mesh's children, waits until each is SERVING, and stops them all: SIGTERM,
/// a grace period, then SIGKILL, and every child reaped before `stop` returns.
public final class MeshSupervisor: Sendable {
    public struct Options: Sendable {
        public var layout = MeshLayout()
        public var binDirectory: String
        public var dataDirectory: String
        public var logFormat = "text"
        public var logLevel = "info"
        public var color = false
        public var startTimeout: Duration = .seconds(60)
        public var grace: Duration = .seconds(15)
        public var pageTokenSecret: String?
        /// The mesh's development credentials; nil runs every service with authentication off.
        public var credentials: MeshCredentials?

        public init(binDirectory: String, dataDirectory: String) {
            self.binDirectory = binDirectory
            self.dataDirectory = dataDirectory
        }
    }

    public let options: Options
    private let children = Mutex<[ChildProcess]>([])
    private let stopping = Atomic<Bool>(false)

    public init(options: Options) { self.options = options }

    public func commands(for services: [MeshService] = MeshService.all) -> [ChildCommand] {
        services.map {
            ChildCommand(
                service: $0, layout: options.layout, binDirectory: options.binDirectory,
                dataDirectory: options.dataDirectory, logFormat: options.logFormat, logLevel: options.logLevel,
                pageTokenSecret: options.pageTokenSecret, authEnvironment: options.credentials?.environment(for: $0) ?? [:])
        }
    }

    /// Every reason the mesh cannot start, before anything starts: missing executables and
    /// ports already in use, one message each.
    public func preflight(isFree: (String, Int) -> Bool = { PortProbe.isFree(host: $0, port: $1) }) -> [String] {
        let missing = commands().filter { !FileManager.default.isExecutableFile(atPath: $0.executablePath) }.map {
            "\($0.service.executable) is missing: no executable at \($0.executablePath)"
                + " (build it: swift build -c release --product \($0.service.executable))"
        }
        let ports = PortProbe.conflicts(in: options.layout, isFree: isFree).map(\.description)
        return missing + ports
    }

    /// Spawns every child and waits for SERVING. On failure (a child exits, or is not
    /// SERVING in time) stops those started and throws a message naming the service.
    public func start() async throws -> [ChildProcess] {
        let width = MeshService.all.map(\.name.count).max() ?? 8
        var started: [ChildProcess] = []
        do {
            for (index, command) in commands().enumerated() {
                let prefixer = LogPrefixer(name: command.service.name, width: width, colorIndex: options.color ? index : nil)
                let child = try ChildProcess.spawn(command) { line in Console.out(prefixer.prefix(line)) }
                started.append(child)
                children.withLock { $0.append(child) }
            }
            try await waitUntilServing(started)
            return started
        } catch {
            stop()
            throw error
        }
    }

    private func waitUntilServing(_ started: [ChildProcess]) async throws {
        let layout = options.layout, timeout = options.startTimeout
        try await withThrowingTaskGroup(of: Void.self) { group in
            for child in started {
                group.addTask {
                    let address = layout.grpcAddress(child.command.service)
                    let result = await HealthProbe.waitUntilServing(address: address, timeout: timeout) { !child.isRunning }
                    if result.isServing { return }
                    throw MeshError(Self.startFailure(child: child, address: address, health: result, timeout: timeout))
                }
            }
            try await group.waitForAll()
        }
    }

    static func startFailure(child: ChildProcess, address: String, health: HealthResult, timeout: Duration) -> String {
        let name = child.command.service.executable
        var message: String
        if let status = child.exitStatus {
            message = "\(name) (gRPC \(address)) exited during start with status \(status)"
        } else {
            message = "\(name) (gRPC \(address)) was not SERVING after \(timeout) (health: \(health))"
        }
        let lines = child.recentLines.suffix(8)
        if !lines.isEmpty { message += "; its last output:\n    " + lines.joined(separator: "\n    ") }
        return message
    }

    /// Stops every child: the gateway first (it calls the others), then the rest together.
    /// Safe to call more than once and from any thread.
    public func stop() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else {
            waitForAllReaped()
            return
        }
        let all = children.withLock { $0 }
        let grace = options.grace
        let (front, rest) = (all.filter { $0.command.service == .gateway }, all.filter { $0.command.service != .gateway })
        for group in [front, rest] where !group.isEmpty {
            DispatchQueue.concurrentPerform(iterations: group.count) { group[$0].stop(grace: grace) }
        }
    }

    private func waitForAllReaped() {
        for child in children.withLock({ $0 }) { child.waitForExit(timeout: options.grace + .seconds(30)) }
    }

    public var running: [ChildProcess] { children.withLock { $0 }.filter(\.isRunning) }
}
