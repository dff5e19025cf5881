// finance-service: the process that serves quantum.finance.v1.FinanceService (issue 8), with
// gRPC health and reflection, /metrics, /healthz and /readyz on the admin port.
// Defaults: --port 50065, --admin-port 9465, --data-dir ./data (store: <data-dir>/finance.sqlite3).
// SIGTERM / SIGINT: NOT_SERVING, GOAWAY, drain in-flight calls, close the store, exit 0.
import ArgumentParser
import FinanceAPI
import FinanceDomain
import FinanceService
import Logging
import MeshAuth
import ServiceKit
import Transport

struct FinanceServiceCommand: AsyncParsableCommand {
    static let defaults = ServiceDefaults(serviceName: "finance", port: 50065, adminPort: 9465)

    static let configuration = CommandConfiguration(
        commandName: "finance-service",
        abstract: "Serves quantum.finance.v1.FinanceService: ledger and balances, tariffs and billing, regulatory filings, "
            + "compliance records, cost allocations, budgets and forecasts.",
        discussion: "Defaults: --port \(defaults.port), --admin-port \(defaults.adminPort), --data-dir ./data.")

    @OptionGroup var options: ServiceOptions
    @OptionGroup var auth: AuthOptions

    func run() async throws {
        let startup = try ServiceStartup(process: "finance-service", options: options, auth: auth, defaults: Self.defaults)
        let store = try await startup.configuration.openStore(schema: FinanceSchema.schema)
        let operations = FinanceOperations(store: store, pages: PageTokenCodec(secret: startup.configuration.pageTokenSecret))
        // The separation policy asks customer-service (--peer customer) whose an account is,
        // with this service's own token.
        var customers: CustomerDirectory?
        if let peer = startup.configuration.peers["customer"] {
            customers = CustomerDirectory(channel: try GRPCChannel(target: peer.description, configuration: startup.peerChannelConfiguration))
        } else if startup.authentication.isEnabled {
            startup.logger.warning("no customer peer (--peer customer=host:port): cross-boundary reads of account data fail with FAILED_PRECONDITION")
        }
        try await startup.run(
            services: [FinanceServiceImpl(operations: operations, customers: customers)],
            descriptors: FinanceAPIDescriptors.filesWithDependencies, store: store)
    }
}

// Top-level code (this file is main.swift), where `Command.main()` would resolve to the
// synchronous entry point; so parse and run the async command by hand, as `main()` would.
do {
    let command = try FinanceServiceCommand.parse()
    try await command.run()
} catch {
    FinanceServiceCommand.exit(withError: error)
}
