import FinanceAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit

extension FinanceOperations {
    public func postTransaction(_ request: PostTransactionRequest) async throws -> PostTransactionResponse {
        let transaction = try TransactionRules.forPost(
            try required(request.transaction, "transaction"), requestID: request.requestID, id: ids.make(prefix: "TXN"),
            now: clock.timestamp())
        return try await idempotentWrite(request, requestID: \.requestID, method: "PostTransaction", required: true) { tx in
            try Ledger.append(transaction, tx)
            return .with { $0.transaction = transaction }
        }
    }

    public func getTransaction(_ request: GetTransactionRequest) async throws -> GetTransactionResponse {
        try FieldRules.id(request.transactionID, prefix: "TXN", "transaction_id")
        let transaction = try await store.read { db in try FinanceTables.transactions.get(request.transactionID, db) }
        return .with { $0.transaction = transaction }
    }

    public func listTransactions(_ request: ListTransactionsRequest) async throws -> ListTransactionsResponse {
        let listing = try transactionListing(request)
        let page = try await list(
            FinanceTables.transactions, method: "ListTransactions", fields: listing.tokenFields,
            where: listing.conditions, order: listing.order, pageSize: request.pageSize, pageToken: request.pageToken)
        return .with {
            $0.transactions = page.items
            $0.nextPageToken = page.nextPageToken
        }
    }

    /// What ListTransactions reads for `request` (all but the paging fields), checked.
    func transactionListing(_ request: ListTransactionsRequest) throws -> TransactionListing {
        try FieldRules.id(request.accountID, prefix: "ACC", "account_id")
        var order = KeysetList(sortColumn: "effective_ms")
        switch request.orderBy.trimmingCharacters(in: .whitespaces) {
        case "", "effective_time": break
        case "effective_time desc": order.descending = true
        default: throw Fail.invalid("order_by '\(request.orderBy)' is not one of: effective_time, effective_time desc")
        }
        var conditions = [Condition("account_id = ?", [.text(request.accountID)])]
        conditions += try timeRange(request.timeRange, column: "effective_ms", field: "time_range")
        for type in request.transactionTypes { try FieldRules.specified(type, "transaction_types") }
        if !request.transactionTypes.isEmpty {
            let marks = Array(repeating: "?", count: request.transactionTypes.count).joined(separator: ", ")
            conditions.append(Condition("transaction_type IN (\(marks))", request.transactionTypes.map { .integer(Int64($0.rawValue)) }))
        }
        let tokenFields = [
            "account_id": request.accountID, "order_by": request.orderBy, "time_range": describe(request.timeRange),
            "transaction_types": request.transactionTypes.map { String($0.rawValue) }.joined(separator: ","),
        ]
        return TransactionListing(conditions: conditions, order: order, tokenFields: tokenFields)
    }

    public func getBalance(_ request: GetBalanceRequest) async throws -> GetBalanceResponse {
        try FieldRules.id(request.accountID, prefix: "ACC", "account_id")
        try FieldRules.timestamp(request.asOfTime, "as_of_time")
        let asOf = request.asOfTime ?? clock.timestamp()
        let balance = try await store.read { db in try Ledger.balance(account: request.accountID, asOf: asOf, db) }
        return .with { $0.balance = balance }
    }

    /// `[start, end)` on a millisecond column; unset bounds are open.
    func timeRange(_ range: TimeRange?, column: String, field: String) throws(RPCError) -> [Condition] {
        guard let range else { return [] }
        try FieldRules.timestamp(range.startTime, "\(field).start_time")
        try FieldRules.timestamp(range.endTime, "\(field).end_time")
        if let start = range.startTime, let end = range.endTime, end < start {
            throw Fail.invalid("\(field).end_time is before start_time")
        }
        var conditions: [Condition] = []
        if let start = range.startTime { conditions.append(Condition("\(column) >= ?", [.integer(start.milliseconds)])) }
        if let end = range.endTime { conditions.append(Condition("\(column) < ?", [.integer(end.milliseconds)])) }
        return conditions
    }

    /// A range as text, to bind page tokens to it.
    func describe(_ range: TimeRange?) -> String {
        guard let range else { return "" }
        return "\(range.startTime?.milliseconds.description ?? "")..\(range.endTime?.milliseconds.description ?? "")"
    }
}

/// One account's transaction list as ListTransactions reads it: the WHERE terms, the order,
/// and the request fields its page tokens are bound to.
struct TransactionListing: Sendable {
    let conditions: [Condition]
    let order: KeysetList
    let tokenFields: [String: String]
}
