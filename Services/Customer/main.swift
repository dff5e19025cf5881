// customer-service: the process that serves quantum.customer.v1.CustomerService (issue 5),
// with gRPC health and reflection, /metrics, /healthz and /readyz on the admin port.
// Defaults: --port 50061, --admin-port 9461, --data-dir ./data (store: <data-dir>/customer.sqlite3).
// SIGTERM / SIGINT: NOT_SERVING, GOAWAY, drain in-flight calls, close the store, exit 0.
import ArgumentParser
import CustomerAPI
import CustomerDomain
import CustomerService
import Logging
import MeshAuth
import ServiceKit

struct CustomerServiceCommand: AsyncParsableCommand {
    static let defaults = ServiceDefaults(serviceName: "customer", port: 50061, adminPort: 9461)

    static let configuration = CommandConfiguration(
        commandName: "customer-service",
        abstract: "Serves quantum.customer.v1.CustomerService: customers, accounts, premises, agreements, products, "
            + "interactions, consents and the product & market data.",
        discussion: "Defaults: --port \(defaults.port), --admin-port \(defaults.adminPort), --data-dir ./data.")

    @OptionGroup var options: ServiceOptions
    @OptionGroup var auth: AuthOptions

    func run() async throws {
        let startup = try ServiceStartup(process: "customer-service", options: options, auth: auth, defaults: Self.defaults)
        let store = try await startup.configuration.openStore(schema: CustomerSchema.schema)
        let operations = CustomerOperations(store: store, pages: PageTokenCodec(secret: startup.configuration.pageTokenSecret))
        try await startup.run(services: [CustomerServiceImpl(operations: operations)], descriptors: CustomerAPIDescriptors.filesWithDependencies, store: store)
    }
}

// Top-level code (this file is main.swift), where `Command.main()` would resolve to the
// synchronous entry point; so parse and run the async command by hand, as `main()` would.
do {
    let command = try CustomerServiceCommand.parse()
    try await command.run()
} catch {
    CustomerServiceCommand.exit(withError: error)
}
