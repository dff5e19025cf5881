import ArgumentParser
import Foundation
import GatewayAPI
import ProtoRuntime

// The gateway's cross-domain queries (quantum.gateway.v1.GatewayService).

private typealias J = RequestJSON

public struct OverviewCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "overview", abstract: "Unified views across the domains (gateway).",
        subcommands: [Customer.self, Premise.self])
    public init() {}

    struct Customer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A customer with accounts, balances, agreements, premises, meters, consumption, outages and interactions.")
        @Argument(help: "Customer id (CUS-…).") var customerID: String
        @Option(help: "Consumption window in days, ending now.") var days = 30
        @Option(help: "Consumption buckets: hour, day or month.") var bucket = "day"
        @Option(help: "Recent transactions per account.") var transactions: Int?
        @Option(help: "Recent interactions.") var interactions: Int?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .gateway).unary(
                GatewayServiceMethods.getCustomerOverview, GetCustomerOverviewRequest.self,
                J.object([
                    ("customerId", .string(customerID)), ("consumptionWindow", .string("\(days * 86400)s")),
                    ("bucketSize", J.enumName("BUCKET_SIZE", bucket)), ("recentTransactionLimit", J.int(transactions)),
                    ("recentInteractionLimit", J.int(interactions)),
                ]),
                GetCustomerOverviewResponse.self, view: Self.view)
        }

        static let view = View.sections([
            ("customer", .fields([
                Column("id", "overview.customer.customerId"), Column("name", "overview.customer.displayName"),
                Column("kind", "overview.customer.kind"), Column("status", "overview.customer.status"),
                Column("relationships", "overview.customer.relationshipScopes"), Column("section", "overview.customerStatus"),
            ])),
            ("accounts", .table("overview.accounts", [
                Column("ACCOUNT", "account.accountId"), Column("SCOPE", "account.regulatoryScope"), Column("STATUS", "account.status"),
                Column("PREMISE", "account.premiseId"), Column("BALANCE", "balance.amount", right: true),
                Column("AGREEMENTS", "agreements#", right: true), Column("RECENT TXNS", "recentTransactions#", right: true),
                Column("BALANCE SECTION", "balanceStatus"),
            ])),
            ("agreements", .table("overview.accounts[].agreements", [
                Column("AGREEMENT", "agreement.agreementId"), Column("ACCOUNT", "agreement.accountId"),
                Column("STATUS", "agreement.status"), Column("PRODUCT", "product.displayName"), Column("TARIFF", "product.tariffId"),
            ])),
            ("recent transactions", .table("overview.accounts[].recentTransactions", [Column("ACCOUNT", "accountId")] + FinanceCommand.transactionColumns)),
            ("premises", .table("overview.premises", [
                Column("PREMISE", "premise.premiseId"), Column("NAME", "premise.displayName"),
                Column("METERS", "meterPoints#", right: true), Column("OPEN OUTAGES", "openOutages#", right: true),
                Column("METERS SECTION", "meterPointsStatus"), Column("OUTAGES SECTION", "outagesStatus"),
            ])),
            ("consumption", .table("overview.premises[].meterPoints", [
                Column("METER", "meterPoint.meterPointId"), Column("PREMISE", "meterPoint.premiseId"),
                Column("DELIVERED", "consumption.totalDelivered", right: true), Column("RECEIVED", "consumption.totalReceived", right: true),
                Column("NET", "consumption.totalNet", right: true), Column("SECTION", "consumptionStatus"),
            ])),
            ("open outages", .table("overview.premises[].openOutages", OutageColumns.list)),
            ("recent interactions", .table("overview.recentInteractions", [
                Column("TIME", "interactionTime"), Column("CHANNEL", "channel"), Column("TOPIC", "topic"), Column("SUMMARY", "summary"),
            ])),
            ("sections", .fields([
                Column("accounts", "overview.accountsStatus"), Column("premises", "overview.premisesStatus"),
                Column("interactions", "overview.interactionsStatus"), Column("window", "overview.consumptionWindow"),
                Column("generated", "overview.generateTime"),
            ])),
        ])
    }

    struct Premise: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A premise with its accounts, meters and latest reads, the assets feeding it, open outages and work orders.")
        @Argument(help: "Premise id (PRM-…).") var premiseID: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .gateway).unary(
                GatewayServiceMethods.getPremiseOverview, GetPremiseOverviewRequest.self,
                J.object([("premiseId", .string(premiseID))]), GetPremiseOverviewResponse.self, view: Self.view)
        }

        static let view = View.sections([
            ("premise", .fields([
                Column("id", "overview.premise.premiseId"), Column("name", "overview.premise.displayName"),
                Column("address", "overview.premise.address.addressLines"), Column("locality", "overview.premise.address.locality"),
                Column("location", "overview.premise.location"), Column("time zone", "overview.premise.timeZone"),
                Column("service point", "overview.premise.servicePointAssetId"),
            ])),
            ("accounts", .table("overview.accounts", AccountCommand.columns)),
            ("meters", .table("overview.meterPoints", [
                Column("METER", "meterPoint.meterPointId"), Column("COMMODITY", "meterPoint.commodity"),
                Column("LATEST READ", "latestReading.intervalStart"), Column("VALUE", "latestReading.value", right: true),
                Column("QUALITY", "latestReading.quality"), Column("SECTION", "latestReadingStatus"),
            ])),
            ("upstream assets", .table("overview.upstreamAssets", AssetCommand.assetColumns)),
            ("premise assets", .table("overview.premiseAssets", AssetCommand.assetColumns)),
            ("open outages", .table("overview.openOutages", OutageColumns.list)),
            ("open work orders", .table("overview.openWorkOrders", [
                Column("ID", "workOrderId"), Column("KIND", "kind"), Column("STATUS", "status"), Column("ASSET", "assetId"),
                Column("CREW", "crewId"),
            ])),
            ("sections", .fields([
                Column("accounts", "overview.accountsStatus"), Column("meters", "overview.meterPointsStatus"),
                Column("premise assets", "overview.premiseAssetsStatus"), Column("upstream", "overview.upstreamStatus"),
                Column("outages", "overview.outagesStatus"), Column("work orders", "overview.workOrdersStatus"),
                Column("generated", "overview.generateTime"),
            ])),
        ])
    }
}

enum OutageColumns {
    static let list = [
        Column("OUTAGE", "outageId"), Column("STATUS", "status"), Column("CAUSE", "cause"), Column("FAULT ASSET", "faultAssetId"),
        Column("CUSTOMERS", "customersAffected", right: true), Column("STARTED", "startTime"),
        Column("ETR", "estimatedRestorationTime"),
    ]
}

public struct ImpactCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "impact", abstract: "Who an outage or an asset failure affects, and how to reach them (gateway).")
    public init() {}

    @Option(help: "Outage id (OUT-…).") var outage: String?
    @Option(help: "Asset id (AST-…): everything downstream of it.") var asset: String?
    @Option(help: "Entries per list (counts stay exact).") var maxItems: Int?
    @OptionGroup var global: GlobalOptions

    public func validate() throws {
        guard (outage == nil) != (asset == nil) else { throw ValidationError("give --outage or --asset (one of them)") }
    }

    public func run() async throws {
        try await RPCInvoker(global, .gateway).unary(
            GatewayServiceMethods.getOutageImpact, GetOutageImpactRequest.self,
            J.object([("outageId", J.string(outage)), ("assetId", J.string(asset)), ("maxItems", J.int(maxItems))]),
            GetOutageImpactResponse.self,
            view: .sections([
                ("impact", .fields([
                    Column("outage", "impact.outage.outageId"), Column("status", "impact.outage.status"),
                    Column("cause", "impact.outage.cause"), Column("root asset", "impact.rootAssetId"),
                    Column.count("downstream assets", "impact.counts.downstreamAssetCount"), Column.count("meter points", "impact.counts.meterPointCount"),
                    Column.count("premises", "impact.counts.premiseCount"), Column.count("accounts", "impact.counts.accountCount"),
                    Column.count("  regulated", "impact.counts.regulatedAccountCount"),
                    Column.count("  non-regulated", "impact.counts.nonRegulatedAccountCount"),
                    Column.count("customers", "impact.counts.customerCount"), Column("truncated", "impact.truncated", absent: "no"),
                ])),
                ("customers to notify", .table("impact.targets", [
                    Column("CUSTOMER", "customerId"), Column("NAME", "displayName"),
                    Column("CHANNELS", "communicationPreferences.preferredChannels"),
                    Column("ALERTS", "communicationPreferences.outageAlertsOptIn"), Column("EMAIL", "contact.emails"),
                    Column("WITHHELD", "contactWithheld"), Column("ACCOUNTS", "accountIds"), Column("PREMISES", "premiseIds"),
                ])),
                ("premises", .table("impact.premises", [
                    Column("PREMISE", "premiseId"), Column("NAME", "displayName"), Column("LOCALITY", "address.locality"),
                ])),
                ("sections", .fields([
                    Column("topology", "impact.topologyStatus"), Column("meter points", "impact.meterPointsStatus"),
                    Column("premises", "impact.premisesStatus"), Column("targets", "impact.targetsStatus"),
                ])),
            ]))
    }
}

public struct BillAccountCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "bill-account",
        abstract: "Bills an account for a period: agreements → tariff → interval consumption → bill (gateway; idempotent).")
    public init() {}

    @Argument(help: "Account id (ACC-…).") var accountID: String
    @Option(help: "First day of the billing period (2026-01-01).") var from: String
    @Option(help: "Last day, inclusive.") var to: String
    @Option(help: "Idempotency key (default: derived from account and period, so a rerun returns the same bill).") var requestID: String?
    @OptionGroup var global: GlobalOptions

    public func run() async throws {
        try await RPCInvoker(global, .gateway).unary(
            GatewayServiceMethods.billAccount, BillAccountRequest.self,
            J.object([
                ("accountId", .string(accountID)),
                ("billingPeriod", J.object([("startDate", try J.date(from, flag: "--from")), ("endDate", try J.date(to, flag: "--to"))])),
                ("requestId", .string(requestID ?? "qe-bill-account-\(accountID)-\(from)-\(to)")),
            ]),
            BillAccountResponse.self,
            view: BillCommand.billView(extra: [Column("agreements", "agreementIds"), Column("meter points", "meterPointIds")]))
    }
}

public struct ReliabilityCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "reliability", abstract: "SAIFI, SAIDI, CAIDI and MAIFI for a period (gateway; IEEE 1366).")
    public init() {}

    @Option(parsing: .unconditional, help: "Period start (2026-01-01, RFC 3339, -365d).") var from: String
    @Option(parsing: .unconditional, help: "Period end (default now).") var to = "now"
    @Option(help: "electric or gas.") var commodity: String?
    @Option(help: "Momentary threshold, e.g. 5m.") var momentary: String?
    @OptionGroup var global: GlobalOptions

    public func run() async throws {
        var threshold: JSONValue?
        if let momentary {
            guard let duration = DurationArgument.parse(momentary) else {
                throw ValidationError("--momentary '\(momentary)' is not valid: expected e.g. 5m")
            }
            threshold = .string("\(duration.components.seconds)s")
        }
        try await RPCInvoker(global, .gateway).unary(
            GatewayServiceMethods.getReliabilityReport, GetReliabilityReportRequest.self,
            J.object([
                ("period", J.object([("startTime", try J.timestamp(from, flag: "--from")), ("endTime", try J.timestamp(to, flag: "--to"))])),
                ("commodity", J.enumName("COMMODITY", commodity)), ("momentaryThreshold", threshold),
            ]),
            GetReliabilityReportResponse.self,
            view: .sections([
                ("indices", .fields([
                    Column("period", "indices.period"), Column("commodity", "indices.commodity"),
                    Column.count("SAIFI", "indices.saifiMicro"), Column.count("SAIDI (min)", "indices.saidiMinutesMicro"),
                    Column.count("CAIDI (min)", "indices.caidiMinutesMicro"), Column.count("MAIFI", "indices.maifiMicro"),
                    Column.count("customers served", "indices.customersServed"), Column.count("sustained events", "indices.sustainedEventCount"),
                    Column.count("customers interrupted", "indices.customersInterrupted"),
                    Column.count("momentary events", "indices.momentaryEventCount"), Column.count("open outages", "indices.openOutageCount"),
                    Column("served as of", "customersServedAsOfTime"),
                ])),
                ("customers served by scope", .table("customersServedByScope", [
                    Column("SCOPE", "regulatoryScope"), Column("CUSTOMERS", "customersServed", right: true),
                ])),
            ]))
    }
}
