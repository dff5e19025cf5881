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
        let configuration = try options.resolve(defaults: Self.defaults)
        ServiceLogging.bootstrap(configuration: configuration)
        let metrics = ServiceMetrics()
        metrics.bootstrapGlobalMetricsSystem()
        let logger = Logger(label: "finance-service")

        let store = try await configuration.openStore(schema: FinanceSchema.schema)
        let operations = FinanceOperations(store: store, pages: PageTokenCodec(secret: configuration.pageTokenSecret))
        // Authentication is on when a public key is configured (issue 11). The separation policy
        // asks customer-service (--peer customer) whose an account is, with this service's token.
        let authentication = try auth.resolve()
        let interceptors = authentication.makeInterceptors(metricsFactory: metrics.factory, logger: logger)
        var customers: CustomerDirectory?
        if let peer = configuration.peers["customer"] {
            var channelConfiguration = ChannelConfiguration()
            channelConfiguration.interceptors = authentication.peerInterceptors
            customers = CustomerDirectory(channel: try GRPCChannel(target: peer.description, configuration: channelConfiguration))
        } else if authentication.isEnabled {
            logger.warning("no customer peer (--peer customer=host:port): cross-boundary reads of account data fail with FAILED_PRECONDITION")
        }
        let runner = ServiceRunner(
            configuration: configuration, services: [FinanceServiceImpl(operations: operations, customers: customers)],
            descriptors: FinanceAPIDescriptors.filesWithDependencies, store: store, logger: logger, metrics: metrics,
            interceptors: interceptors)
        try await runner.run()
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
