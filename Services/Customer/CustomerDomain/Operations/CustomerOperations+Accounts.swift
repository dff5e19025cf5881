import CustomerAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

extension CustomerOperations {
    static let accountFilter = FilterSchema([
        "status": .enumEquals("status", AccountStatus.self),
        "regulatory_scope": .enumEquals("regulatory_scope", RegulatoryScope.self),
    ])

    public func createCustomerAccount(_ request: CreateCustomerAccountRequest) async throws -> CreateCustomerAccountResponse {
        let account = try AccountRules.forCreate(
            try required(request.account, "account"), id: ids.make(prefix: "ACC"), now: clock.timestamp())
        return try await store.idempotentWrite(request, requestID: \.requestID, method: "CreateCustomerAccount") { tx in
            _ = try Tables.customers.require(account.customerID, tx, referencedAs: "account.customer_id")
            _ = try Tables.premises.require(account.premiseID, tx, referencedAs: "account.premise_id")
            try Tables.accounts.insert(account.accountID, account, tx)
            try refreshRelationshipScopes(of: account.customerID, tx)
            return .with { $0.account = account }
        }
    }

    public func getCustomerAccount(_ request: GetCustomerAccountRequest) async throws -> GetCustomerAccountResponse {
        try Check.id(request.accountID, prefix: "ACC", "account_id")
        let account = try await store.read { db in try Tables.accounts.require(request.accountID, db) }
        return .with { $0.account = account }
    }

    public func updateCustomerAccount(_ request: UpdateCustomerAccountRequest) async throws -> UpdateCustomerAccountResponse {
        let patch = try required(request.account, "account")
        try Check.id(patch.accountID, prefix: "ACC", "account.account_id")
        try AccountRules.updateMask.check(request.updateMask)
        let now = clock.timestamp()
        let account = try await store.write { tx in
            let current = try Tables.accounts.require(patch.accountID, tx)
            let updated = try AccountRules.updated(current, patch: patch, mask: request.updateMask, now: now)
            try Tables.accounts.update(updated.accountID, updated, tx)
            return updated
        }
        return .with { $0.account = account }
    }

    public func listCustomerAccounts(_ request: ListCustomerAccountsRequest) async throws -> ListCustomerAccountsResponse {
        try await store.read(try prepareAccountsPage(request))
    }

    /// ListCustomerAccounts' page, checked and ready to read (GetCustomerSummary reads it too).
    func prepareAccountsPage(_ request: ListCustomerAccountsRequest) throws -> PreparedRead<ListCustomerAccountsResponse> {
        var conditions = try Self.accountFilter.conditions(for: request.filter)
        if !request.customerID.isEmpty {
            try Check.id(request.customerID, prefix: "CUS", "customer_id")
            conditions.append(SQLCondition("customer_id = ?", [.text(request.customerID)]))
        }
        if !request.premiseIDs.isEmpty {
            try Check.batch(request.premiseIDs, prefix: "PRM", "premise_ids")
            conditions.append(.oneOf("premise_id", request.premiseIDs.map { .text($0) }))
        }
        return try preparePage(
            Tables.accounts, method: "ListCustomerAccounts",
            fields: ["customer_id": request.customerID, "premise_ids": request.premiseIDs.joined(separator: ","), "filter": request.filter],
            pageSize: request.pageSize, pageToken: request.pageToken, where: conditions,
            respond: { items, token in .with { $0.accounts = items; $0.nextPageToken = token } })
    }

    public func closeCustomerAccount(_ request: CloseCustomerAccountRequest) async throws -> CloseCustomerAccountResponse {
        try Check.id(request.accountID, prefix: "ACC", "account_id")
        let now = clock.timestamp()
        let account = try await store.write { tx in
            let current = try Tables.accounts.require(request.accountID, tx)
            let closed = try AccountRules.closed(current, reason: request.reason, at: request.closeTime, now: now)
            if closed != current { try Tables.accounts.update(closed.accountID, closed, tx) }
            return closed
        }
        return .with { $0.account = account }
    }
}
