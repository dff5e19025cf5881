import FinanceAPI
import FinanceDomain
import FinanceService
import Foundation
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit
import Synchronization
import Transport
import XCTest

/// Remembers which methods the server answered OK, to prove every RPC was exercised over the wire.
private final class AnsweredMethods: ServerInterceptor {
    let ok = Mutex<Set<String>>([])

    func intercept(context: ServerContext, next: () async throws -> Void) async throws {
        try await next()
        _ = ok.withLock { $0.insert(context.method.method) }
    }
}

/// Every RPC of quantum.finance.v1.FinanceService through a real `GRPCServer` on a loopback
/// port, called with our `GRPCChannel` and the generated `FinanceServiceClient`.
final class RPCOverSocketsTests: XCTestCase {
    private var harness: FinanceHarness!
    private var server: GRPCServer!
    private var channel: GRPCChannel!
    private let answered = AnsweredMethods()
    private var client: FinanceServiceClient { FinanceServiceClient(channel: channel) }

    override func setUp() async throws {
        harness = try await FinanceHarness.make()
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.interceptors = [answered]
        server = GRPCServer(configuration: configuration, services: [FinanceServiceImpl(operations: harness.operations)])
        try await server.start()
        channel = try GRPCChannel(target: "127.0.0.1:\(try XCTUnwrap(server.port))")
    }

    override func tearDown() async throws {
        channel.close()
        await server.shutdown(gracePeriod: .seconds(1))
        await harness.close()
    }

    func testIdenticalPostsRacingOverSocketsMoveMoneyOnce() async throws {
        let client = self.client
        let request = PostTransactionRequest.with { $0.transaction = Fixtures.transaction(.charge, 12_345); $0.requestID = "race-1" }
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<32 { group.addTask { try await client.postTransaction(request).transaction?.transactionID ?? "" } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        XCTAssertEqual(ids.count, 1, "every duplicate must get the one original transaction")
        let count = try await harness.count("transactions")
        XCTAssertEqual(count, 1)
        let balance = try await client.getBalance(.with { $0.accountID = Fixtures.account }).balance
        XCTAssertEqual(balance?.amount, Fixtures.usd(12_345))
        XCTAssertEqual(balance?.transactionCount, 1)
        await assertStatus(.alreadyExists, "race-1") {
            try await client.postTransaction(.with { $0.transaction = Fixtures.transaction(.charge, 1); $0.requestID = "race-1" })
        }
        await assertStatus(.invalidArgument, "request_id is required") {
            try await client.postTransaction(.with { $0.transaction = Fixtures.transaction(.charge, 1) })
        }
    }

    func testEveryRPCOverLoopback() async throws {
        let client = self.client
        // Ledger
        let charge = try await client.postTransaction(.with { $0.transaction = Fixtures.transaction(.charge, 5_000); $0.requestID = "t-1" }).transaction!
        _ = try await client.postTransaction(.with { $0.transaction = Fixtures.transaction(.payment, -2_000); $0.requestID = "t-2" })
        try await XCTAssertEqualAsync(try await client.getTransaction(.with { $0.transactionID = charge.transactionID }).transaction, charge)
        let firstPage = try await client.listTransactions(.with { $0.accountID = Fixtures.account; $0.pageSize = 1 })
        XCTAssertEqual(firstPage.transactions, [charge])
        let secondPage = try await client.listTransactions(.with {
            $0.accountID = Fixtures.account; $0.pageSize = 1; $0.pageToken = firstPage.nextPageToken
        })
        XCTAssertEqual(secondPage.transactions.map(\.transactionType), [.payment])
        try await XCTAssertEqualAsync(try await client.getBalance(.with { $0.accountID = Fixtures.account }).balance?.amount, Fixtures.usd(3_000))
        try await XCTAssertEqualAsync(
            try await client.getBalance(.with { $0.accountID = Fixtures.account; $0.asOfTime = Timestamp(seconds: 0) }).balance?.transactionCount, 0)
        let activity = try await client.batchGetAccountActivity(.with { $0.accountIDs = [Fixtures.account] }).activities
        XCTAssertEqual(activity.first?.recentTransactions.map(\.transactionType), [.payment, .charge])
        XCTAssertEqual(activity.first?.balance?.amount, Fixtures.usd(3_000))

        // Tariffs and billing
        let tariff = try await client.createTariff(.with { $0.tariff = Fixtures.tariff(Fixtures.twoTiers); $0.requestID = "trf-1" }).tariff!
        try await XCTAssertEqualAsync(try await client.getTariff(.with { $0.tariffID = tariff.tariffID }).tariff, tariff)
        let effective = try await client.listTariffs(.with { $0.effectiveOn = Fixtures.date(2025, 3, 1); $0.filter = #"display_name:"e-1""# })
        XCTAssertEqual(effective.tariffs, [tariff])
        try await XCTAssertEqualAsync(try await client.listTariffs(.with { $0.effectiveOn = Fixtures.date(2024, 12, 31) }).tariffs, [])
        let usage = [Fixtures.usage(at: Fixtures.mondayMarch3, hours: 24, milli: 500_000)]
        let quote = try await client.calculateBill(.with {
            $0.tariffSource = .tariffID(tariff.tariffID); $0.billingPeriod = Fixtures.march2025; $0.usage = usage
        })
        XCTAssertEqual(quote.total, Fixtures.usd(1_000 + 10_000 + 3_500))  // fixed + 400 × 25 ¢ + 100 × 35 ¢
        let issue = IssueBillRequest.with {
            $0.accountID = Fixtures.account; $0.regulatoryScope = .regulated; $0.tariffID = tariff.tariffID
            $0.billingPeriod = Fixtures.march2025; $0.usage = usage; $0.requestID = "bill-march"
        }
        let bill = try await client.issueBill(issue).bill!
        XCTAssertEqual(bill.total, quote.total)
        XCTAssertEqual(bill.dueDate, Fixtures.date(2025, 4, 21))
        var retry = issue
        retry.requestID = "bill-march-retry"
        try await XCTAssertEqualAsync(try await client.issueBill(retry).bill, bill)  // same account, period and inputs: the stored bill
        var different = issue
        different.requestID = "bill-march-other"
        different.usage = [Fixtures.usage(at: Fixtures.mondayMarch3, milli: 1)]
        await assertStatus(.alreadyExists, "already has a bill") { try await client.issueBill(different) }
        try await XCTAssertEqualAsync(try await client.getBalance(.with { $0.accountID = Fixtures.account }).balance?.amount, Fixtures.usd(3_000 + 14_500))
        try await XCTAssertEqualAsync(try await client.getBill(.with { $0.billID = bill.billID }).bill, bill)
        try await XCTAssertEqualAsync(try await client.listBills(.with { $0.accountID = Fixtures.account }).bills, [bill])
        let chargeTransaction = try await client.getTransaction(.with { $0.transactionID = bill.chargeTransactionID }).transaction
        XCTAssertEqual(chargeTransaction?.billID, bill.billID)

        // Filings and compliance
        let filing = try await client.createRegulatoryFiling(.with {
            $0.filing = .with { $0.filingType = .rateCase; $0.title = "GRC 2026"; $0.jurisdiction = "US-CA"; $0.agency = "CPUC" }
        }).filing!
        XCTAssertEqual(filing.status, .draft)
        let filed = try await client.transitionFilingStatus(.with {
            $0.filingID = filing.filingID; $0.toStatus = .filed; $0.effectiveDate = Fixtures.date(2025, 4, 1)
        }).filing!
        XCTAssertEqual(filed.filedDate, Fixtures.date(2025, 4, 1))
        await assertStatus(.failedPrecondition, "FILING_STATUS_FILED to FILING_STATUS_DRAFT") {
            try await client.transitionFilingStatus(.with { $0.filingID = filing.filingID; $0.toStatus = .draft })
        }
        let record = try await client.createComplianceRecord(.with {
            $0.record = .with { $0.standard = "NERC CIP-007-6 R2"; $0.assessmentDate = Fixtures.date(2025, 2, 1); $0.regulatoryScope = .regulated }
        }).record!
        let updated = try await client.updateComplianceRecord(.with {
            $0.record = .with { $0.complianceRecordID = record.complianceRecordID; $0.outcome = .compliant }
            $0.updateMask = FieldMask(paths: ["outcome"])
        }).record!
        XCTAssertEqual(updated.outcome, .compliant)
        let linked = try await client.linkComplianceRecord(.with { $0.filingID = filing.filingID; $0.complianceRecordID = record.complianceRecordID })
        XCTAssertEqual(linked.filing?.complianceRecordIDs, [record.complianceRecordID])
        XCTAssertEqual(linked.record?.filingIDs, [filing.filingID])
        _ = try await client.linkComplianceRecord(.with { $0.filingID = filing.filingID; $0.complianceRecordID = record.complianceRecordID })
        try await XCTAssertEqualAsync(try await client.getRegulatoryFiling(.with { $0.filingID = filing.filingID }).filing?.complianceRecordIDs.count, 1)
        try await XCTAssertEqualAsync(try await client.getComplianceRecord(.with { $0.complianceRecordID = record.complianceRecordID }).record?.filingIDs.count, 1)
        let byRecord = try await client.listRegulatoryFilings(.with { $0.complianceRecordID = record.complianceRecordID; $0.filter = #"agency = "CPUC""# })
        XCTAssertEqual(byRecord.filings.map(\.filingID), [filing.filingID])
        let byFiling = try await client.listComplianceRecords(.with { $0.filingID = filing.filingID; $0.filter = #"standard:"cip-007""# })
        XCTAssertEqual(byFiling.records.map(\.complianceRecordID), [record.complianceRecordID])
        let unlinked = try await client.unlinkComplianceRecord(.with { $0.filingID = filing.filingID; $0.complianceRecordID = record.complianceRecordID })
        XCTAssertEqual(unlinked.filing?.complianceRecordIDs, [])
        await assertStatus(.notFound, "is not linked") {
            try await client.unlinkComplianceRecord(.with { $0.filingID = filing.filingID; $0.complianceRecordID = record.complianceRecordID })
        }

        // Cost allocation
        let march = AccountingPeriod.with { $0.year = 2025; $0.month = 3 }
        let derived = try await client.recordCostAllocation(.with {
            $0.allocation = .with {
                $0.costPool = "Shared IT"; $0.period = march; $0.method = .headcount
                $0.poolAmount = Fixtures.usd(100_001); $0.regulatedSharePpm = 824_000
            }
        }).allocation!
        // 100001 × 0.824 = 82400.824 → 82401; the rest, 17600, is non-regulated.
        XCTAssertEqual(derived.regulatedAmount, Fixtures.usd(82_401))
        XCTAssertEqual(derived.nonRegulatedAmount, Fixtures.usd(17_600))
        _ = try await client.recordCostAllocation(.with {
            $0.allocation = .with {
                $0.costPool = "Fleet"; $0.period = march; $0.method = .directAssignment
                $0.poolAmount = Fixtures.usd(999); $0.regulatedAmount = Fixtures.usd(333); $0.nonRegulatedAmount = Fixtures.usd(666)
            }
        })
        try await XCTAssertEqualAsync(try await client.listCostAllocations(.with { $0.period = march; $0.costPool = "Fleet" }).allocations.count, 1)
        let report = try await client.getCostAllocationReport(.with { $0.period = march })
        XCTAssertEqual(report.allocations.map(\.costPool), ["Fleet", "Shared IT"])
        XCTAssertEqual(report.totalPool, Fixtures.usd(101_000))
        XCTAssertEqual((report.totalRegulated?.minorUnits ?? 0) + (report.totalNonRegulated?.minorUnits ?? 0), 101_000)

        // Budgets
        let line = BudgetLine.with {
            $0.period = march; $0.businessUnit = .regulated; $0.line = "Distribution O&M"
            $0.planned = Fixtures.usd(1_000_000); $0.forecast = Fixtures.usd(1_050_000)
        }
        let stored = try await client.recordBudgetLine(.with { $0.budgetLine = line }).budgetLine!
        var revised = line
        revised.forecast = Fixtures.usd(1_100_000)
        try await XCTAssertEqualAsync(try await client.recordBudgetLine(.with { $0.budgetLine = revised }).budgetLine?.budgetLineID, stored.budgetLineID)
        try await XCTAssertEqualAsync(try await client.listBudgetLines(.with { $0.period = march }).budgetLines.count, 1)
        let comparison = try await client.compareBudget(.with { $0.period = march })
        XCTAssertEqual(comparison.total?.variance, Fixtures.usd(100_000))
        XCTAssertEqual(comparison.lines.first?.varianceBasisPoints, 1_000)

        // Audit trail: served, empty until issue 11 writes it.
        try await XCTAssertEqualAsync(try await client.listAuditRecords(.with { $0.filter = "decision = DENIED" }).auditRecords, [])

        let all = Set(FinanceServiceImpl(operations: harness.operations).methodHandlers.map(\.descriptor.method))
        XCTAssertEqual(all.count, 29)
        let ok = answered.ok.withLock { $0 }
        XCTAssertEqual(ok, all, "methods never answered OK: \(all.subtracting(ok))")
    }
}

/// `XCTAssertEqual` for an awaited value (XCTest's autoclosures cannot `await`).
func XCTAssertEqualAsync<T: Equatable>(
    _ value: @autoclosure () async throws -> T, _ expected: T, file: StaticString = #filePath, line: UInt = #line
) async throws {
    let actual = try await value()
    XCTAssertEqual(actual, expected, file: file, line: line)
}
