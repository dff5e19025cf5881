// metering-service: the process that serves quantum.metering.v1.MeteringService (issue 6),
// with gRPC health and reflection, /metrics, /healthz and /readyz on the admin port.
// Defaults: --port 50062, --admin-port 9462, --data-dir ./data (store: <data-dir>/metering.sqlite3).
// With `--peer customer=host:port` (or QE_PEERS) CreateMeterPoint checks premises with
// customer-service; without it any well-formed premise id is accepted.
// SIGTERM / SIGINT: NOT_SERVING, GOAWAY, drain in-flight calls, close the store, exit 0.
import ArgumentParser
import Logging
import MeshAuth
import MeteringAPI
import MeteringDomain
import MeteringService
import ServiceKit
import Transport

struct MeteringServiceCommand: AsyncParsableCommand {
    static let defaults = ServiceDefaults(serviceName: "metering", port: 50062, adminPort: 9462)

    static let configuration = CommandConfiguration(
        commandName: "metering-service",
        abstract: "Serves quantum.metering.v1.MeteringService: meter points, interval readings, consumption profiles, "
            + "validation and editing of reads, and DER telemetry.",
        discussion: "Defaults: --port \(defaults.port), --admin-port \(defaults.adminPort), --data-dir ./data. "
            + "--peer customer=host:port enables premise checks on CreateMeterPoint.")

    @OptionGroup var options: ServiceOptions
    @OptionGroup var auth: AuthOptions

    @Option(help: ArgumentHelp("ValidateReadings' default spike multiple × 1000, e.g. 3000 = 3× the recent median.", valueName: "milli"))
    var spikeThresholdMilli: Int64 = MeteringOperations.defaultSpikeThresholdMilli

    func validate() throws {
        guard spikeThresholdMilli > 0 else { throw ValidationError("--spike-threshold-milli must be positive") }
    }

    func run() async throws {
        let startup = try ServiceStartup(process: "metering-service", options: options, auth: auth, defaults: Self.defaults)
        // Calls to customer-service (premise checks, the separation policy's questions) carry
        // this service's own token.
        let premises = try startup.configuration.peers["customer"].map {
            try CustomerPremiseDirectory(target: $0.description, configuration: startup.peerChannelConfiguration)
        }
        if premises == nil { startup.logger.notice("no customer peer configured: premise ids are not checked on CreateMeterPoint") }
        let store = try await startup.configuration.openStore(schema: MeteringSchema.schema)
        let operations = MeteringOperations(
            store: store, pages: PageTokenCodec(secret: startup.configuration.pageTokenSecret), premises: premises,
            spikeThresholdMilli: spikeThresholdMilli)
        try await startup.run(
            services: [MeteringServiceImpl(operations: operations, customers: premises?.customerDirectory)],
            descriptors: MeteringAPIDescriptors.filesWithDependencies, store: store)
    }
}

// Top-level code (this file is main.swift), where `Command.main()` would resolve to the
// synchronous entry point; so parse and run the async command by hand, as `main()` would.
do {
    let command = try MeteringServiceCommand.parse()
    try await command.run()
} catch {
    MeteringServiceCommand.exit(withError: error)
}
