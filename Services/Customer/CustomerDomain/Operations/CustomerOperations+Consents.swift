import CustomerAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

extension CustomerOperations {
    public func grantConsent(_ request: GrantConsentRequest) async throws -> GrantConsentResponse {
        let consent = try ConsentRules.forGrant(
            try required(request.consent, "consent"), id: ids.make(prefix: "CNS"), now: clock.timestamp())
        return try await store.idempotentWrite(request, requestID: \.requestID, method: "GrantConsent") { tx in
            _ = try Tables.customers.require(consent.customerID, tx, referencedAs: "consent.customer_id")
            try Tables.consents.insert(consent.consentID, consent, tx)
            return .with { $0.consent = consent }
        }
    }

    public func revokeConsent(_ request: RevokeConsentRequest) async throws -> RevokeConsentResponse {
        try Check.id(request.consentID, prefix: "CNS", "consent_id")
        let now = clock.timestamp()
        let consent = try await store.write { tx in
            let current = try Tables.consents.require(request.consentID, tx)
            let revoked = try ConsentRules.revoked(current, reason: request.reason, now: now)
            if revoked.state == .revoked, current.state != .revoked { try Tables.consents.update(revoked.consentID, revoked, tx) }
            return revoked
        }
        return .with { $0.consent = consent }
    }

    public func getConsent(_ request: GetConsentRequest) async throws -> GetConsentResponse {
        try Check.id(request.consentID, prefix: "CNS", "consent_id")
        let now = clock.timestamp()
        let consent = try await store.read { db in try Tables.consents.require(request.consentID, db) }
        return .with { $0.consent = ConsentRules.effective(consent, now: now) }
    }

    public func listConsents(_ request: ListConsentsRequest) async throws -> ListConsentsResponse {
        try Check.id(request.customerID, prefix: "CUS", "customer_id")
        let now = clock.timestamp()
        var conditions = [SQLCondition("customer_id = ?", [.text(request.customerID)])]
        if !request.includeInactive {
            conditions.append(SQLCondition(
                "state = ? AND (expire_ms IS NULL OR expire_ms > ?)",
                [.integer(Int64(ConsentState.active.rawValue)), .integer(now.milliseconds)]))
        }
        let page = try await listPage(
            Tables.consents, method: "ListConsents",
            fields: ["customer_id": request.customerID, "include_inactive": request.includeInactive ? "true" : ""],
            pageSize: request.pageSize, pageToken: request.pageToken, where: conditions,
            order: .by("grant_ms", .integer, descending: true))
        return .with {
            $0.consents = page.items.map { ConsentRules.effective($0, now: now) }
            $0.nextPageToken = page.nextPageToken
        }
    }

    /// Active consents letting the non-regulated business use contact details, by customer.
    func contactConsentsForNonRegulated(_ db: any StoreReading, customerID: String?, now: Timestamp) throws -> [String: [Consent]] {
        var sql = "SELECT body FROM consents WHERE recipient = ? AND state = ? AND (scope_mask & ?) != 0 AND (expire_ms IS NULL OR expire_ms > ?)"
        var parameters: [SQLValue] = [
            .integer(Int64(BusinessUnit.nonRegulated.rawValue)), .integer(Int64(ConsentState.active.rawValue)),
            .integer(ColumnEncoding.bitmask([ConsentScope.contactDetails])), .integer(now.milliseconds),
        ]
        if let customerID {
            sql += " AND customer_id = ?"
            parameters.append(.text(customerID))
        }
        return try Self.consentsByCustomer(db, sql, parameters)
    }

    /// The consents a `SELECT body FROM consents …` finds, by customer id.
    static func consentsByCustomer(_ db: any StoreReading, _ sql: String, _ parameters: [SQLValue]) throws -> [String: [Consent]] {
        var consents: [String: [Consent]] = [:]
        try db.forEachRow(sql, parameters: parameters) { row in
            let consent = try Tables.consents.decode(row)
            consents[consent.customerID, default: []].append(consent)
            return true
        }
        return consents
    }
}
