import FinanceAPI
import FinanceDomain
import FinanceService
import Foundation
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit
import ServiceTestSupport
import Transport
import XCTest

/// BatchGetAccountActivity over a loopback socket (authentication off): each account's part is
/// what GetBalance and ListTransactions(order_by "effective_time desc") answer for it.
final class AccountActivityTests: XCTestCase {
    private var service: LoopbackService!
    private var client: FinanceServiceClient { FinanceServiceClient(channel: service.channel) }

    /// 2025-02-01T00:00:00Z: transactions are effective on the minutes after it.
    private let t0: Int64 = 1_738_368_000
    private let busy = "ACC-" + String(repeating: "3", count: 26)
    private let untouched = "ACC-" + String(repeating: "4", count: 26)

    override func setUp() async throws {
        service = try await LoopbackService(name: "finance", schema: FinanceSchema.schema) { store in
            [FinanceServiceImpl(operations: FinanceOperations(store: store, pages: LoopbackService.pageTokens("finance")))]
        }
    }

    override func tearDown() async throws {
        await service?.stop()
    }

    /// Posts `count` transactions to `account`, effective a minute apart from `t0` (two at the
    /// same instant when `tie`, so the id breaks the tie as in ListTransactions).
    private func post(_ count: Int, to account: String, tie: Bool = false) async throws {
        for index in 0..<count {
            let payment = index.isMultiple(of: 3)
            var transaction = Fixtures.transaction(payment ? .payment : .charge, payment ? -700 : 1_000 + Int64(index), account: account)
            let minute = tie && index == 1 ? 0 : Int64(index)
            transaction.effectiveTime = Timestamp(seconds: t0 + minute * 60)
            _ = try await client.postTransaction(.with { $0.transaction = transaction; $0.requestID = "\(account)-\(index)" })
        }
    }

    private func batch(_ ids: [String], limit: Int32 = 0) async throws -> [AccountActivity] {
        try await client.batchGetAccountActivity(.with { $0.accountIDs = ids; $0.recentTransactionLimit = limit }).activities
    }

    /// The activity the single calls describe (balance without its as-of instant, which is "now").
    private func single(_ account: String, limit: Int32) async throws -> AccountActivity {
        var balance = try await client.getBalance(.with { $0.accountID = account }).balance
        balance?.asOfTime = nil
        let recent = try await client.listTransactions(.with { $0.accountID = account; $0.orderBy = "effective_time desc"; $0.pageSize = limit })
        return .with { $0.accountID = account; $0.balance = balance; $0.recentTransactions = recent.transactions }
    }

    private func withoutAsOf(_ activities: [AccountActivity]) -> [AccountActivity] {
        activities.map { activity in
            var activity = activity
            XCTAssertNotNil(activity.balance?.asOfTime, "the balance says when it was taken")
            activity.balance?.asOfTime = nil
            return activity
        }
    }

    func testEachAccountIsWhatGetBalanceAndListTransactionsAnswer() async throws {
        try await post(12, to: Fixtures.account, tie: true)
        try await post(2, to: Fixtures.otherAccount)

        // Request order, duplicates answered once, an account without transactions at zero.
        let requested = [Fixtures.otherAccount, Fixtures.account, untouched, Fixtures.otherAccount, Fixtures.account]
        let activities = try await batch(requested)
        XCTAssertEqual(activities.map(\.accountID), [Fixtures.otherAccount, Fixtures.account, untouched])
        XCTAssertEqual(activities.map(\.statusCode), [0, 0, 0])
        var expected: [AccountActivity] = []
        for account in [Fixtures.otherAccount, Fixtures.account, untouched] { expected.append(try await single(account, limit: 10)) }
        XCTAssertEqual(withoutAsOf(activities), expected)
        XCTAssertEqual(activities[1].recentTransactions.count, 10, "0 means 10")
        XCTAssertEqual(activities[1].balance?.transactionCount, 12)
        XCTAssertEqual(activities[2].balance?.amount?.minorUnits, 0)
        XCTAssertEqual(activities[2].recentTransactions, [])

        let three = try await batch([Fixtures.account], limit: 3)
        try await XCTAssertEqualAsync(withoutAsOf(three), [try await single(Fixtures.account, limit: 3)])
    }

    func testLimitsAboveOneHundredAreCoercedToOneHundred() async throws {
        try await post(101, to: busy)
        let activities = try await batch([busy], limit: 5_000)
        XCTAssertEqual(activities.first?.recentTransactions.count, 100)
        try await XCTAssertEqualAsync(withoutAsOf(activities), [try await single(busy, limit: 100)])
        XCTAssertEqual(activities.first?.balance?.transactionCount, 101)
    }

    func testBadBatchesAreInvalidArgumentForTheWholeCall() async throws {
        await assertStatus(.invalidArgument, "account_ids is required") { try await self.batch([]) }
        let many = (0..<101).map { String(format: "ACC-%026d", $0) }
        await assertStatus(.invalidArgument, "at most 100 ids, got 101") { try await self.batch(many) }
        let hundred = try await batch(Array(many.prefix(100)))
        XCTAssertEqual(hundred.count, 100)
        await assertStatus(.invalidArgument, "'ACC-nope'") { try await self.batch([Fixtures.account, "ACC-nope"]) }
        await assertStatus(.invalidArgument, "account_ids 'CUS-") { try await self.batch([Fixtures.missingID("CUS")]) }
        await assertStatus(.invalidArgument, "account_ids is required") { try await self.batch([Fixtures.account, ""]) }
        await assertStatus(.invalidArgument, "recent_transaction_limit must not be negative") {
            try await self.batch([Fixtures.account], limit: -1)
        }
    }
}
