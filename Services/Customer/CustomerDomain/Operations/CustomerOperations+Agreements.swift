import CustomerAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

extension CustomerOperations {
    static let agreementFilter = FilterSchema([
        "status": .enumEquals("status", AgreementStatus.self),
        "product_id": .textEquals("product_id"),
    ])

    public func createServiceAgreement(_ request: CreateServiceAgreementRequest) async throws -> CreateServiceAgreementResponse {
        let requested = try required(request.agreement, "agreement")
        try AgreementRules.validate(requested)
        let id = ids.make(prefix: "AGR"), now = clock.timestamp(), today = clock.today()
        return try await store.idempotentWrite(request, requestID: \.requestID, method: "CreateServiceAgreement") { tx in
            let account = try Tables.accounts.require(requested.accountID, tx, referencedAs: "agreement.account_id")
            let product = try Tables.products.require(requested.productID, tx, referencedAs: "agreement.product_id")
            try AgreementRules.checkFit(account: account, product: product)
            let agreement = try AgreementRules.forCreate(requested, id: id, product: product, now: now, today: today)
            try Tables.agreements.insert(id, agreement, tx)
            return .with { $0.agreement = agreement }
        }
    }

    public func getServiceAgreement(_ request: GetServiceAgreementRequest) async throws -> GetServiceAgreementResponse {
        try Check.id(request.agreementID, prefix: "AGR", "agreement_id")
        let agreement = try await store.read { db in try Tables.agreements.require(request.agreementID, db) }
        return .with { $0.agreement = agreement }
    }

    public func updateServiceAgreement(_ request: UpdateServiceAgreementRequest) async throws -> UpdateServiceAgreementResponse {
        let patch = try required(request.agreement, "agreement")
        try Check.id(patch.agreementID, prefix: "AGR", "agreement.agreement_id")
        try AgreementRules.updateMask.check(request.updateMask)
        let now = clock.timestamp()
        let agreement = try await store.write { tx in
            let current = try Tables.agreements.require(patch.agreementID, tx)
            let updated = try AgreementRules.updated(current, patch: patch, mask: request.updateMask, now: now)
            try Tables.agreements.update(updated.agreementID, updated, tx)
            return updated
        }
        return .with { $0.agreement = agreement }
    }

    public func listServiceAgreements(_ request: ListServiceAgreementsRequest) async throws -> ListServiceAgreementsResponse {
        try await store.read(try prepareAgreementsPage(request))
    }

    /// ListServiceAgreements' page, checked and ready to read (GetCustomerSummary reads it too).
    func prepareAgreementsPage(_ request: ListServiceAgreementsRequest) throws -> PreparedRead<ListServiceAgreementsResponse> {
        var conditions = try Self.agreementFilter.conditions(for: request.filter)
        if !request.accountID.isEmpty {
            try Check.id(request.accountID, prefix: "ACC", "account_id")
            conditions.append(SQLCondition("account_id = ?", [.text(request.accountID)]))
        }
        if !request.customerID.isEmpty {
            try Check.id(request.customerID, prefix: "CUS", "customer_id")
            conditions.append(SQLCondition("account_id IN (SELECT id FROM accounts WHERE customer_id = ?)", [.text(request.customerID)]))
        }
        return try preparePage(
            Tables.agreements, method: "ListServiceAgreements",
            fields: ["account_id": request.accountID, "customer_id": request.customerID, "filter": request.filter],
            pageSize: request.pageSize, pageToken: request.pageToken, where: conditions,
            respond: { items, token in .with { $0.agreements = items; $0.nextPageToken = token } })
    }

    public func terminateServiceAgreement(_ request: TerminateServiceAgreementRequest) async throws -> TerminateServiceAgreementResponse {
        try Check.id(request.agreementID, prefix: "AGR", "agreement_id")
        let now = clock.timestamp(), today = clock.today()
        let agreement = try await store.write { tx in
            let current = try Tables.agreements.require(request.agreementID, tx)
            let terminated = try AgreementRules.terminated(current, reason: request.reason, endDate: request.endDate, now: now, today: today)
            try Tables.agreements.update(terminated.agreementID, terminated, tx)
            return terminated
        }
        return .with { $0.agreement = agreement }
    }
}
