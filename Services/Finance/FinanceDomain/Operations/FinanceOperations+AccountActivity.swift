import FinanceAPI
import ProtoRuntime
import RPCCore
import ServiceKit

extension FinanceOperations {
    /// At most this many account ids in one BatchGetAccountActivity.
    public static let maximumActivityAccounts = 100
    /// recent_transaction_limit: 0 means 10; above 100 is coerced to 100.
    static let recentTransactionsPolicy = PageSizePolicy(defaultSize: 10, maximumSize: 100)

    /// Each distinct account's balance, as GetBalance answers it now, and its most recent
    /// transactions, as ListTransactions(order_by "effective_time desc", page_size limit) answers
    /// them — the same rules and queries, all read in one read transaction (one consistent
    /// snapshot, one hop to the store's threads instead of two per account). Every activity is
    /// OK here; the handler applies the separation policy account by account.
    public func batchGetAccountActivity(_ request: BatchGetAccountActivityRequest) async throws -> BatchGetAccountActivityResponse {
        let accountIDs = try Self.distinctAccountIDs(request.accountIDs)
        guard request.recentTransactionLimit >= 0 else {
            throw Fail.invalid("recent_transaction_limit must not be negative, got \(request.recentTransactionLimit)")
        }
        let limit = try Self.recentTransactionsPolicy.resolve(request.recentTransactionLimit)
        let listings = try accountIDs.map { accountID in
            try transactionListing(.with { $0.accountID = accountID; $0.orderBy = "effective_time desc" })
        }
        let asOf = clock.timestamp()
        let activities = try await store.read { db in
            try zip(accountIDs, listings).map { accountID, listing in
                try AccountActivity.with {
                    $0.accountID = accountID
                    $0.balance = try Ledger.balance(account: accountID, asOf: asOf, db)
                    $0.recentTransactions = try listing.order.read(FinanceTables.transactions, where: listing.conditions, limit: limit, db).items
                }
            }
        }
        return .with { $0.activities = activities }
    }

    /// The requested ids, checked, each once, in first-seen order.
    static func distinctAccountIDs(_ ids: [String]) throws(RPCError) -> [String] {
        guard !ids.isEmpty else { throw Fail.invalid("account_ids is required: 1 to \(maximumActivityAccounts) account ids") }
        guard ids.count <= maximumActivityAccounts else {
            throw Fail.invalid("account_ids: at most \(maximumActivityAccounts) ids, got \(ids.count)")
        }
        for id in ids { try FieldRules.id(id, prefix: "ACC", "account_ids") }
        return ids.uniqued()
    }
}
