// outage-service: the process that serves quantum.outage.v1.OutageService (issue 7),
// with gRPC health and reflection, /metrics, /healthz and /readyz on the admin port.
// Defaults: --port 50064, --admin-port 9464, --data-dir ./data (store: <data-dir>/outage.sqlite3).
// SIGTERM / SIGINT: NOT_SERVING, GOAWAY, drain in-flight calls, close the store, exit 0.
import ArgumentParser
import OutageAPI
import OutageDomain
import OutageService
import Logging
import MeshAuth
import ServiceKit

struct OutageServiceCommand: AsyncParsableCommand {
    static let defaults = ServiceDefaults(serviceName: "outage", port: 50064, adminPort: 9464)

    static let configuration = CommandConfiguration(
        commandName: "outage-service",
        abstract: "Serves quantum.outage.v1.OutageService: outages and their watch feed, work orders, crews, "
            + "reliability indices, grid and pipeline state and DER dispatch.",
        discussion: "Defaults: --port \(defaults.port), --admin-port \(defaults.adminPort), --data-dir ./data.")

    @OptionGroup var options: ServiceOptions
    @OptionGroup var auth: AuthOptions

    func run() async throws {
        let startup = try ServiceStartup(process: "outage-service", options: options, auth: auth, defaults: Self.defaults)
        let store = try await startup.configuration.openStore(schema: OutageSchema.schema)
        let operations = OutageOperations(store: store, pages: PageTokenCodec(secret: startup.configuration.pageTokenSecret))
        try await startup.run(services: [OutageServiceImpl(operations: operations)], descriptors: OutageAPIDescriptors.filesWithDependencies, store: store)
    }
}

// Top-level code (this file is main.swift), where `Command.main()` would resolve to the
// synchronous entry point; so parse and run the async command by hand, as `main()` would.
do {
    let command = try OutageServiceCommand.parse()
    try await command.run()
} catch {
    OutageServiceCommand.exit(withError: error)
}
