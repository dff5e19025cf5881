// asset-service: the process that serves quantum.asset.v1.AssetService (issue 7),
// with gRPC health and reflection, /metrics, /healthz and /readyz on the admin port.
// Defaults: --port 50063, --admin-port 9463, --data-dir ./data (store: <data-dir>/asset.sqlite3).
// SIGTERM / SIGINT: NOT_SERVING, GOAWAY, drain in-flight calls, close the store, exit 0.
import ArgumentParser
import AssetAPI
import AssetDomain
import AssetService
import Logging
import MeshAuth
import ServiceKit

struct AssetServiceCommand: AsyncParsableCommand {
    static let defaults = ServiceDefaults(serviceName: "asset", port: 50063, adminPort: 9463)

    static let configuration = CommandConfiguration(
        commandName: "asset-service",
        abstract: "Serves quantum.asset.v1.AssetService: assets, the network topology, maintenance history and "
            + "performance samples.",
        discussion: "Defaults: --port \(defaults.port), --admin-port \(defaults.adminPort), --data-dir ./data.")

    @OptionGroup var options: ServiceOptions
    @OptionGroup var auth: AuthOptions

    func run() async throws {
        let startup = try ServiceStartup(process: "asset-service", options: options, auth: auth, defaults: Self.defaults)
        let store = try await startup.configuration.openStore(schema: AssetSchema.schema)
        let operations = AssetOperations(store: store, pages: PageTokenCodec(secret: startup.configuration.pageTokenSecret))
        try await startup.run(services: [AssetServiceImpl(operations: operations)], descriptors: AssetAPIDescriptors.filesWithDependencies, store: store)
    }
}

// Top-level code (this file is main.swift), where `Command.main()` would resolve to the
// synchronous entry point; so parse and run the async command by hand, as `main()` would.
do {
    let command = try AssetServiceCommand.parse()
    try await command.run()
} catch {
    AssetServiceCommand.exit(withError: error)
}
