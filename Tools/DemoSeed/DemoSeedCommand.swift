import ArgumentParser
import DemoData
import Foundation

/// Seeds a running mesh with the demo utility, through the services' gRPC APIs.
@main
struct DemoSeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-seed",
        abstract: "Seed a running Quantum Energy mesh with deterministic demo data over gRPC.",
        discussion: """
            Same --seed, --customers, --days and UTC day of --now → the same data; every create \
            carries a request_id, so running it again changes nothing. The last line of stdout \
            is a JSON object with counts and the ids a tour starts from.
            """)

    @Option(help: "customer-service address (host:port).") var customer = MeshTargets().customer
    @Option(help: "metering-service address (host:port).") var metering = MeshTargets().metering
    @Option(help: "asset-service address (host:port).") var asset = MeshTargets().asset
    @Option(help: "outage-service address (host:port).") var outage = MeshTargets().outage
    @Option(help: "finance-service address (host:port).") var finance = MeshTargets().finance
    @Option(help: "Seed of the generator.") var seed: UInt64 = 42
    @Option(help: "Number of customers (85 % residential, 15 % commercial).") var customers = 200
    @Option(help: "Days of 15-minute readings, ending at the last UTC midnight before --now.") var days = 30
    @Option(help: "The run's clock as ISO 8601, e.g. 2026-03-01T12:00:00Z (default: now).") var now: String?
    @Option(help: "Calls in flight per phase.") var concurrency = 8
    @Option(help: "Bearer token sent as `authorization: Bearer <token>` (env QE_TOKEN).") var token: String?

    func validate() throws {
        if let now, ISO8601DateFormatter().date(from: now) == nil {
            throw ValidationError("--now '\(now)' is not an ISO 8601 instant such as 2026-03-01T12:00:00Z")
        }
        if let problem = parameters.problem() { throw ValidationError(problem) }
        guard (1...256).contains(concurrency) else { throw ValidationError("--concurrency must be 1…256") }
    }

    var parameters: DemoParameters {
        DemoParameters(seed: seed, customers: customers, days: days, now: now.flatMap { ISO8601DateFormatter().date(from: $0) } ?? Date())
    }

    func run() async throws {
        var targets = MeshTargets()
        (targets.customer, targets.metering, targets.asset, targets.outage, targets.finance) = (customer, metering, asset, outage, finance)
        let started = ContinuousClock.now
        let plan = DemoPlanner.plan(parameters)
        let clients: MeshClients
        do {
            clients = try MeshClients(targets: targets, token: token ?? ProcessInfo.processInfo.environment["QE_TOKEN"].flatMap { $0.isEmpty ? nil : $0 })
        } catch {
            FileHandle.standardError.write(Data("demo-seed: connect: INVALID_ARGUMENT \(error)\n".utf8))
            throw ExitCode(1)
        }
        defer { clients.close() }
        do {
            let summary = try await DemoLoader(plan: plan, clients: clients, progress: ProgressReporter(), concurrency: concurrency).load()
            let elapsed = ContinuousClock.now - started
            let readings = summary.counts["readings"] ?? 0
            let seconds = max(0.001, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
            print("seeded \(summary.counts["customers"] ?? 0) customers and \(readings) readings in \(String(format: "%.1f", seconds)) s (\(Int(Double(readings) / seconds)) readings/s)")
            print(summary.jsonLine)
        } catch let error as LoadError {
            FileHandle.standardError.write(Data("\n\(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}
