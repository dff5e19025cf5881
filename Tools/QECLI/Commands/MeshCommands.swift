import ArgumentParser
import Foundation
import ServiceKit
import Synchronization

/// `qe mesh up|status|stop`: runs the whole mesh locally as separate processes.
public struct MeshCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "mesh", abstract: "Runs the mesh locally: the five services and the gateway as separate processes.",
        subcommands: [Up.self, Status.self, Stop.self])
    public init() {}

    /// This `qe`'s own path, however it was invoked (by name on PATH, relative, through a link).
    static var ownExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
    }

    /// Where the mesh's executables and data are, and its ports.
    struct Location: ParsableArguments {
        @Option(help: ArgumentHelp("Data directory: one SQLite file per service, pid and state files (default ./data/mesh).", valueName: "path"))
        var dataDir = MeshCredentials.defaultDataDirectory
        @Option(help: ArgumentHelp("Directory with the service executables (default: the one qe is in).", valueName: "path"))
        var binDir: String?
        @Option(help: ArgumentHelp("Listen address of every service (default 127.0.0.1).", valueName: "address"))
        var host = "127.0.0.1"
        @Option(help: ArgumentHelp("gRPC ports: gateway at N, customer N+1 … finance N+5 (default 50060).", valueName: "N"))
        var grpcPortBase = MeshLayout.defaultGRPCPortBase
        @Option(help: ArgumentHelp("Admin ports, the same way (default 9460).", valueName: "N"))
        var adminPortBase = MeshLayout.defaultAdminPortBase

        var layout: MeshLayout { MeshLayout(host: host, grpcPortBase: grpcPortBase, adminPortBase: adminPortBase) }
        var dataDirectory: String { URL(fileURLWithPath: dataDir).standardizedFileURL.path }
        var binDirectory: String {
            if let binDir { return URL(fileURLWithPath: binDir).standardizedFileURL.path }
            return URL(fileURLWithPath: MeshCommand.ownExecutable).deletingLastPathComponent().path
        }

        func validate() throws {
            for (flag, base) in [("--grpc-port-base", grpcPortBase), ("--admin-port-base", adminPortBase)] where !(1...65530).contains(base) {
                throw ValidationError("\(flag) \(base) is not valid: expected 1…65530")
            }
            if abs(grpcPortBase - adminPortBase) < MeshService.all.count {
                throw ValidationError("--grpc-port-base and --admin-port-base ranges overlap")
            }
        }
    }

    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Starts the mesh, waits until every service is SERVING, seeds demo data on first start, shows the logs; Ctrl-C stops it.")
        @OptionGroup var location: Location
        @Flag(help: "Run in the background (log in <data-dir>/mesh.log); stop with `qe mesh stop`.") var detach = false
        @Option(help: "Demo data seed (first start only).") var seed = 42
        @Flag(help: "Do not seed demo data.") var noSeed = false
        @Flag(help: "Run every service with authentication OFF (default: a development key pair in <data-dir>/auth, tokens required).")
        var noAuth = false
        @Option(help: "Demo data: number of customers (demo-seed's default when not given).") var seedCustomers: Int?
        @Option(help: "Demo data: days of 15-minute readings (demo-seed's default when not given).") var seedDays: Int?
        @Option(help: "Children's log format: text or json.") var logFormat = "text"
        @Option(help: "Children's log level.") var logLevel = "info"
        @Option(help: "Colored log prefixes: auto, always or never.") var color = "auto"
        @Option(help: "Seconds each service may take to become SERVING.") var startTimeout = 60
        @Option(help: "Seconds each service may take to drain on stop before SIGKILL.") var grace = 15

        func validate() throws {
            guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format must be text or json") }
            guard ["auto", "always", "never"].contains(color) else { throw ValidationError("--color must be auto, always or never") }
            guard startTimeout > 0, grace >= 0 else { throw ValidationError("--start-timeout must be positive and --grace not negative") }
            // demo-seed's own limits, checked here so a bad value stops the start with its reason
            // instead of a mesh without demo data (under --detach the reason is only in the log).
            if let seedCustomers, seedCustomers < 2 {
                throw ValidationError("--seed-customers must be at least 2 (one residential and one commercial customer)")
            }
            if let seedDays, seedDays < 2 { throw ValidationError("--seed-days must be at least 2 (a bill needs one whole local day)") }
        }

        func run() async throws {
            let dataDirectory = location.dataDirectory
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            if let pid = MeshState.runnerPID(in: dataDirectory), MeshState.isAlive(pid) {
                throw CommandFailure("a mesh is already running from \(dataDirectory) (pid \(pid)); `qe mesh stop --data-dir \(location.dataDir)` stops it")
            }
            MeshState.remove(from: dataDirectory)  // stale files of a mesh that was killed
            if detach { return try await runDetached(dataDirectory: dataDirectory) }
            if ProcessInfo.processInfo.environment[Self.detachedMarker] != nil { setsid() }
            try await runAttached(dataDirectory: dataDirectory)
        }

        static let detachedMarker = "QE_MESH_DETACHED"

        private func supervisorOptions(dataDirectory: String) throws -> MeshSupervisor.Options {
            var options = MeshSupervisor.Options(binDirectory: location.binDirectory, dataDirectory: dataDirectory)
            options.layout = location.layout
            options.logFormat = logFormat
            options.logLevel = logLevel
            options.color = color == "always" || (color == "auto" && Console.stdoutIsTerminal)
            options.startTimeout = .seconds(startTimeout)
            options.grace = .seconds(grace)
            options.pageTokenSecret = try PageTokenSecretFile.secret(in: dataDirectory)
            if !noAuth { options.credentials = try MeshCredentials.prepare(dataDirectory: dataDirectory) }
            return options
        }

        private func runAttached(dataDirectory: String) async throws {
            let supervisor = MeshSupervisor(options: try supervisorOptions(dataDirectory: dataDirectory))
            let problems = supervisor.preflight()
            guard problems.isEmpty else {
                throw CommandFailure("the mesh cannot start:\n  " + problems.joined(separator: "\n  "))
            }
            // From here on a signal stops the children instead of ending the runner abruptly;
            // during start the handler stops them itself, so start() fails fast.
            let latch = SignalLatch()
            let watcher = SignalWatcher(signals: [SIGINT, SIGTERM, SIGHUP]) { number in
                if latch.record(number) { supervisor.stop() }
            }
            defer { watcher.stop() }

            let layout = location.layout
            Console.out("starting the mesh from \(supervisor.options.binDirectory), data in \(dataDirectory)")
            let children: [ChildProcess]
            do {
                children = try await supervisor.start()
            } catch {
                if latch.received != nil { Console.out("stopped during start"); return }
                throw CommandFailure("\(error)")
            }

            var sampleIDs: [String: String]?
            if !noSeed {
                do {
                    sampleIDs = try DemoSeedStep.runIfNeeded(
                        binDirectory: supervisor.options.binDirectory, dataDirectory: dataDirectory, layout: layout, seed: seed,
                        customers: seedCustomers, days: seedDays, token: try supervisor.options.credentials?.seederToken()
                    ) { Console.err("seed     | \($0)") }
                } catch {
                    Console.err("warning: \(error)")
                }
            }
            let pids = Dictionary(uniqueKeysWithValues: children.map { ($0.command.service.name, $0.pid) })
            let state = MeshState(runnerPID: getpid(), services: MeshService.all.map {
                .init(name: $0.name, pid: pids[$0.name] ?? 0, grpcAddress: layout.grpcAddress($0), adminURL: layout.adminURL($0))
            })
            try state.write(to: dataDirectory)
            Console.out("\n" + MeshSummary.servicesTable(layout: layout, pids: pids) + "\n\n"
                + MeshSummary.tour(layout: layout, sampleIDs: sampleIDs, credentials: supervisor.options.credentials)
                + "\n\nthe mesh is up; Ctrl-C stops it\n")

            latch.started()
            var reported = Set<String>()
            var number: Int32? = latch.received
            while number == nil {
                for child in children where !child.isRunning && reported.insert(child.command.service.name).inserted {
                    Console.err("\(child.command.service.executable) exited with status \(child.exitStatus ?? -1); the rest keep running")
                }
                try? await Task.sleep(for: .milliseconds(100))
                number = latch.received
            }
            let signalNumber = number ?? SIGTERM
            Console.out("\(SignalWatcher.name(of: signalNumber)): stopping the mesh")
            supervisor.stop()
            MeshState.remove(from: dataDirectory)
            Console.out("the mesh stopped")
        }

        /// Starts this same command in the background, in its own session, and returns once
        /// the mesh is up (state file written) or the background runner gave up.
        private func runDetached(dataDirectory: String) async throws {
            let logPath = dataDirectory + "/mesh.log"
            guard FileManager.default.createFile(atPath: logPath, contents: nil),
                  let log = FileHandle(forWritingAtPath: logPath) else { throw CommandFailure("cannot write \(logPath)") }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: MeshCommand.ownExecutable)
            process.arguments = Array(CommandLine.arguments.dropFirst()).filter { $0 != "--detach" } + ["--color", "never"]
            var environment = ProcessInfo.processInfo.environment
            environment[Self.detachedMarker] = "1"
            process.environment = environment
            process.standardOutput = log
            process.standardError = log
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let deadline = ContinuousClock.now + .seconds(startTimeout + 600)
            while ContinuousClock.now < deadline {
                if let state = MeshState.read(from: dataDirectory), state.runnerPID == process.processIdentifier {
                    let layout = location.layout
                    let pids = Dictionary(uniqueKeysWithValues: state.services.map { ($0.name, $0.pid) })
                    Console.out(MeshSummary.servicesTable(layout: layout, pids: pids) + "\n\n"
                        + MeshSummary.tour(
                            layout: layout, sampleIDs: DemoSeedStep.recorded(dataDirectory: dataDirectory),
                            credentials: noAuth ? nil : try MeshCredentials.prepare(dataDirectory: dataDirectory, callers: []))
                        + "\n\nthe mesh runs in the background (pid \(state.runnerPID), log \(logPath)); `qe mesh stop --data-dir \(location.dataDir)` stops it")
                    return
                }
                if !process.isRunning {
                    let tail = (try? String(contentsOfFile: logPath, encoding: .utf8))?.split(separator: "\n").suffix(15).joined(separator: "\n") ?? ""
                    throw CommandFailure("the background mesh did not start (status \(process.terminationStatus)):\n\(tail)")
                }
                try await Task.sleep(for: .milliseconds(200))
            }
            throw CommandFailure("the background mesh did not come up in time; see \(logPath)")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Health of each service (gRPC health protocol) and its pid; exit 0 when all are SERVING.")
        @OptionGroup var location: Location

        func run() async throws {
            let state = MeshState.read(from: location.dataDirectory)
            let layout = location.layout
            var table = TextTable(headers: ["SERVICE", "GRPC", "HEALTH", "PID"])
            var allServing = true
            for service in MeshService.all {
                let entry = state?.services.first { $0.name == service.name }
                let address = entry?.grpcAddress ?? layout.grpcAddress(service)
                let health = await HealthProbe.status(address: address, timeout: .seconds(2))
                allServing = allServing && health.isServing
                let pid = entry.map { MeshState.isAlive($0.pid) ? "\($0.pid)" : "\($0.pid) (gone)" } ?? "-"
                table.add([service.name, address, health.description, pid])
            }
            Console.out(table.render())
            if let state {
                Console.out("runner pid \(state.runnerPID)\(MeshState.isAlive(state.runnerPID) ? "" : " (gone)")")
            }
            if !allServing { throw ExitCode(1) }
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stops a mesh started with --detach (SIGTERM, then SIGKILL after the grace period).")
        @OptionGroup var location: Location
        @Option(help: "Seconds to wait before SIGKILL.") var grace = 30

        func run() async throws {
            let dataDirectory = location.dataDirectory
            let state = MeshState.read(from: dataDirectory)
            guard let runner = MeshState.runnerPID(in: dataDirectory) ?? state?.runnerPID else {
                Console.out("no mesh is running from \(dataDirectory)")
                return
            }
            if MeshState.isAlive(runner) { kill(runner, SIGTERM) }
            let deadline = ContinuousClock.now + .seconds(grace)
            let pids = [runner] + (state?.services.map(\.pid) ?? []).filter { $0 > 0 }
            while pids.contains(where: MeshState.isAlive), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            let lingering = pids.filter(MeshState.isAlive)
            for pid in lingering { kill(pid, SIGKILL) }
            MeshState.remove(from: dataDirectory)
            Console.out(lingering.isEmpty ? "the mesh stopped" : "the mesh stopped (killed \(lingering.count) lingering process(es))")
        }
    }
}

/// The first stop signal the runner received, and whether it arrived while starting (then
/// the signal handler stops the children itself).
final class SignalLatch: Sendable {
    private let state = Mutex<(number: Int32?, starting: Bool)>((nil, true))

    /// Records a signal; true when it is the first and came during start.
    func record(_ number: Int32) -> Bool {
        state.withLock { state in
            guard state.number == nil else { return false }
            state.number = number
            return state.starting
        }
    }

    func started() { state.withLock { $0.starting = false } }

    var received: Int32? { state.withLock { $0.number } }
}

/// The page-token secret of one data directory: made once, kept in `<data-dir>/page-token-secret`
/// (mode 0600), so page tokens survive restarts of a local mesh.
enum PageTokenSecretFile {
    static func secret(in dataDirectory: String) throws -> String {
        let path = dataDirectory + "/page-token-secret"
        if let existing = try? String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
           existing.utf8.count >= 16 {
            return existing
        }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        guard FileManager.default.createFile(atPath: path, contents: Data((secret + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CommandFailure("cannot write \(path)")
        }
        return secret
    }
}
