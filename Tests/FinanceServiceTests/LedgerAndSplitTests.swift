import FinanceAPI
import FinanceDomain
import QuantumTypes
import RPCCore
import XCTest

final class LedgerAndSplitTests: XCTestCase {
    func testBalanceEqualsLedgerSumAfterRandomSequences() async throws {
        let harness = try await FinanceHarness.make()
        var random = SystemRandomNumberGenerator()
        var expected: [String: Int64] = [Fixtures.account: 0, Fixtures.otherAccount: 0]
        for index in 0..<200 {
            let account = Bool.random(using: &random) ? Fixtures.account : Fixtures.otherAccount
            let type: TransactionType = [.charge, .payment, .adjustment, .refund].randomElement(using: &random)!
            var amount = Int64.random(in: 1...1_000_000, using: &random)
            if type == .payment || (type == .adjustment && Bool.random(using: &random)) { amount = -amount }
            _ = try await harness.operations.postTransaction(.with {
                $0.transaction = Fixtures.transaction(type, amount, account: account)
                $0.requestID = "random-\(index)"
            })
            expected[account]! += amount
        }
        for (account, sum) in expected {
            let balance = try await harness.operations.getBalance(.with { $0.accountID = account }).balance
            XCTAssertEqual(balance?.amount?.minorUnits, sum)
            let ledgerSum = try await harness.store.read { db in
                try db.scalar("SELECT SUM(amount) FROM transactions WHERE account_id = ?", account, as: Int64.self)
            }
            XCTAssertEqual(balance?.amount?.minorUnits, ledgerSum)
        }
        let total = try await harness.count("transactions")
        XCTAssertEqual(total, 200)
        await harness.close()
    }

    func testAnAccountKeepsOneCurrencyWhicheverWayTheOtherSorts() async throws {
        let harness = try await FinanceHarness.make()
        _ = try await harness.operations.postTransaction(.with {
            $0.transaction = Fixtures.transaction(.charge, 100, account: Fixtures.account)
            $0.requestID = "usd-1"
        })
        // One currency sorting before USD and one after: the check seeks both ranges.
        for (index, other) in ["AUD", "ZAR"].enumerated() {
            do {
                _ = try await harness.operations.postTransaction(.with {
                    var transaction = Fixtures.transaction(.charge, 100, account: Fixtures.account)
                    transaction.amount?.currencyCode = other
                    $0.transaction = transaction
                    $0.requestID = "other-\(index)"
                })
                XCTFail("\(other) accepted on a USD ledger")
            } catch let error as RPCError {
                XCTAssertEqual(error.code, .failedPrecondition, "\(error)")
                XCTAssertTrue(error.message.contains("USD"), error.message)
            }
        }
        let total = try await harness.count("transactions")
        XCTAssertEqual(total, 1)
        await harness.close()
    }

    func testSignMustMatchTheTransactionType() {
        let cases: [(TransactionType, Int64)] = [(.charge, -1), (.charge, 0), (.payment, 5), (.refund, -5), (.adjustment, 0)]
        for (type, amount) in cases {
            XCTAssertThrowsError(
                try TransactionRules.forPost(Fixtures.transaction(type, amount), requestID: "r", id: "TXN-x", now: .init()),
                "\(type) \(amount)"
            ) { error in XCTAssertEqual((error as? RPCError)?.code, .invalidArgument) }
        }
        XCTAssertNoThrow(try TransactionRules.forPost(Fixtures.transaction(.adjustment, -7), requestID: "r", id: "TXN-x", now: .init()))
    }

    func testAllocationSplitsSumExactlyToThePool() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<10_000 {
            let pool = Int64.random(in: 0...10_000_000_000, using: &random)
            let ppm = Int64.random(in: 0...1_000_000, using: &random)
            let split = CostSplit.split(pool: pool, regulatedPPM: ppm)
            XCTAssertEqual(split.regulated + split.nonRegulated, pool)
            XCTAssertGreaterThanOrEqual(split.nonRegulated, 0)
        }
        // 101 ¢ at 50 %: 50.5 → 50 (even), remainder 51. 103 ¢ at 50 %: 51.5 → 52, remainder 51.
        XCTAssertTrue(CostSplit.split(pool: 101, regulatedPPM: 500_000) == (50, 51))
        XCTAssertTrue(CostSplit.split(pool: 103, regulatedPPM: 500_000) == (52, 51))
        // 1 ¢ at one third (333,333 ppm): 0.333333 → 0, the cent goes to the non-regulated side.
        XCTAssertTrue(CostSplit.split(pool: 1, regulatedPPM: 333_333) == (0, 1))
        XCTAssertEqual(CostSplit.share(regulated: 1, pool: 3), 333_333)
    }

    func testBudgetVarianceInBasisPointsRoundsHalfEven() {
        XCTAssertEqual(BudgetRules.basisPoints(variance: 1, planned: 20_000), 0)  // 0.5 bp → 0
        XCTAssertEqual(BudgetRules.basisPoints(variance: 3, planned: 20_000), 2)  // 1.5 bp → 2
        XCTAssertEqual(BudgetRules.basisPoints(variance: 250, planned: 1_000), 2_500)
        XCTAssertEqual(BudgetRules.basisPoints(variance: 5, planned: 0), 0)
    }

    func testFilingStatusMachine() {
        XCTAssertTrue(FilingStatusMachine.canMove(from: .draft, to: .filed))
        XCTAssertTrue(FilingStatusMachine.canMove(from: .filed, to: .approved))
        XCTAssertTrue(FilingStatusMachine.canMove(from: .underReview, to: .withdrawn))
        XCTAssertFalse(FilingStatusMachine.canMove(from: .draft, to: .approved))
        XCTAssertFalse(FilingStatusMachine.canMove(from: .approved, to: .withdrawn))
        XCTAssertFalse(FilingStatusMachine.canMove(from: .withdrawn, to: .draft))
    }
}
