import ArgumentParser
import FinanceAPI
import Foundation
import ProtoRuntime

// finance-service: balances, transactions, bills.

private typealias J = RequestJSON

public struct FinanceCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "finance", abstract: "Balances and transactions (finance-service).",
        subcommands: [Balance.self, Transactions.self])
    public init() {}

    struct Balance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An account's balance.")
        @Argument(help: "Account id (ACC-…).") var accountID: String
        @Option(help: "As of this instant (default now).") var asOf: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .finance).unary(
                FinanceServiceMethods.getBalance, GetBalanceRequest.self,
                J.object([("accountId", .string(accountID)), ("asOfTime", try asOf.map { try J.timestamp($0, flag: "--as-of") })]),
                GetBalanceResponse.self, view: .record("balance"))
        }
    }

    struct Transactions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An account's transactions.")
        @Argument(help: "Account id (ACC-…).") var accountID: String
        @Option(help: "charge, payment, adjustment or refund; repeatable.") var type: [String] = []
        @OptionGroup(title: "Effective") var effective: TimeRangeOptions
        @Option(help: "Order, e.g. effective_time desc.") var orderBy: String?
        @OptionGroup var page: PageOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .finance).unary(
                FinanceServiceMethods.listTransactions, ListTransactionsRequest.self,
                J.object([
                    ("accountId", .string(accountID)), ("timeRange", try effective.json()),
                    ("transactionTypes", type.isEmpty ? nil : .array(type.compactMap { J.enumName("TRANSACTION_TYPE", $0) })),
                    ("orderBy", J.string(orderBy)),
                ] + page.members),
                ListTransactionsResponse.self, view: .table("transactions", FinanceCommand.transactionColumns))
        }
    }

    static let transactionColumns = [
        Column("ID", "transactionId"), Column("TYPE", "transactionType"), Column("AMOUNT", "amount", right: true),
        Column("SCOPE", "regulatoryScope"), Column("EFFECTIVE", "effectiveTime"), Column("BILL", "billId"), Column("MEMO", "memo"),
    ]
}

public struct BillCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "bill", abstract: "Bills: calculate (no side effects), issue, show (finance-service).",
        subcommands: [Calculate.self, Issue.self, Get.self])
    public init() {}

    /// A bill's header fields and its lines; `extra` adds fields (the gateway's agreements and meters).
    static func billView(extra: [Column] = []) -> View {
        .sections([
            ("bill", .fields([
                Column("bill", "bill.billId"), Column("account", "bill.accountId"), Column("tariff", "bill.tariffId"),
                Column("period", "bill.billingPeriod"), Column("usage", "bill.totalUsage"), Column("total", "bill.total"),
                Column("due", "bill.dueDate"), Column("issued", "bill.issueTime"), Column("charge", "bill.chargeTransactionId"),
            ] + extra)),
            ("lines", .table("bill.lineItems", BillCommand.lineColumns)),
        ])
    }

    static let lineColumns = [
        Column("KIND", "kind"), Column("LABEL", "label"), Column("QUANTITY", "quantity", right: true),
        Column("PRICE", "unitPrice", right: true), Column("AMOUNT", "amount", right: true),
    ]

    /// Usage for a bill: a CSV with start, length (15m) and value (kWh) columns, plus the period.
    struct UsageOptions: ParsableArguments {
        @Option(help: "First day of the billing period (2026-01-01).") var from: String
        @Option(help: "Last day of the billing period, inclusive.") var to: String
        @Option(help: "Usage CSV: header start,length,value[,unit]; value decimal (kWh by default).") var usageFile: String?

        func period() throws -> JSONValue {
            J.object([("startDate", try J.date(from, flag: "--from")), ("endDate", try J.date(to, flag: "--to"))])
        }

        func usage() throws -> JSONValue? {
            guard let usageFile else { return nil }
            guard let text = try? String(contentsOfFile: usageFile, encoding: .utf8) else {
                throw ValidationError("--usage-file '\(usageFile)': cannot read it")
            }
            var lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
            guard !lines.isEmpty else { return nil }
            let header = lines.removeFirst().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let start = header.firstIndex(of: "start"), let length = header.firstIndex(of: "length"),
                  let value = header.firstIndex(of: "value") else {
                throw ValidationError("--usage-file: the header must name start, length and value columns")
            }
            let unit = header.firstIndex(of: "unit")
            return .array(try lines.enumerated().map { offset, line in
                let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                guard cells.count == header.count, let seconds = DurationArgument.parse(cells[length]) else {
                    throw ValidationError("--usage-file line \(offset + 2): expected \(header.count) values with a length such as 15m")
                }
                return J.object([
                    ("startTime", try J.timestamp(cells[start], flag: "--usage-file line \(offset + 2)")),
                    ("length", .string("\(seconds.components.seconds)s")),
                    ("energy", J.object([
                        ("milliValue", .string(String(try J.milli(cells[value], flag: "--usage-file line \(offset + 2)")))),
                        ("unit", J.enumName("ENERGY_UNIT", unit.map { cells[$0] } ?? "kwh")),
                    ])),
                ])
            })
        }
    }

    struct Calculate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Prices usage under a tariff, without issuing anything.")
        @Option(help: "Tariff id (TRF-…).") var tariff: String
        @OptionGroup var usage: UsageOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .finance).unary(
                FinanceServiceMethods.calculateBill, CalculateBillRequest.self,
                J.object([("tariffId", .string(tariff)), ("billingPeriod", try usage.period()), ("usage", try usage.usage())]),
                CalculateBillResponse.self,
                view: .sections([
                    ("total", .fields([Column("usage", "totalUsage"), Column("total", "total")])),
                    ("lines", .table("lineItems", BillCommand.lineColumns)),
                ]))
        }
    }

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issues a bill and posts its charge (idempotent with --request-id).")
        @Option(help: "Account id (ACC-…).") var account: String
        @Option(help: "Tariff id (TRF-…).") var tariff: String
        @Option(help: "regulated or non_regulated (the account's).") var scope = "regulated"
        @Option(help: "Due date (default: none; the service's rule applies).") var due: String?
        @Option(help: "Idempotency key (default: account and period).") var requestID: String?
        @OptionGroup var usage: UsageOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .finance).unary(
                FinanceServiceMethods.issueBill, IssueBillRequest.self,
                J.object([
                    ("accountId", .string(account)), ("regulatoryScope", J.enumName("REGULATORY_SCOPE", scope)),
                    ("tariffId", .string(tariff)), ("billingPeriod", try usage.period()), ("usage", try usage.usage()),
                    ("dueDate", try due.map { try J.date($0, flag: "--due") }),
                    ("requestId", .string(requestID ?? "qe-bill-\(account)-\(usage.from)-\(usage.to)")),
                ]),
                IssueBillResponse.self, view: BillCommand.billView())
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows one bill.")
        @Argument(help: "Bill id.") var billID: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await RPCInvoker(global, .finance).unary(
                FinanceServiceMethods.getBill, GetBillRequest.self, J.object([("billId", .string(billID))]),
                GetBillResponse.self, view: BillCommand.billView())
        }
    }
}
