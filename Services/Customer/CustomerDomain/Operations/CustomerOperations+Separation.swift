import CustomerAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

/// What the separation policy (issue 11) needs from the store. Read fresh on every call — no
/// cache — so a revoked consent stops bridging on the very next call.
extension CustomerOperations {
    /// The active (granted, not revoked, not expired) consents of these customers that let
    /// `recipient` read the other business's data, by customer id.
    public func activeConsents(customerIDs: Set<String>, recipient: BusinessUnit) async throws -> [String: [Consent]] {
        guard !customerIDs.isEmpty else { return [:] }
        let now = clock.timestamp()
        let ids = Array(customerIDs)
        let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        let sql = "SELECT body FROM consents WHERE recipient = ? AND state = ? AND (expire_ms IS NULL OR expire_ms > ?) "
            + "AND customer_id IN (\(placeholders))"
        let parameters: [SQLValue] = [
            .integer(Int64(recipient.rawValue)), .integer(Int64(ConsentState.active.rawValue)), .integer(now.milliseconds),
        ] + ids.map { .text($0) }
        return try await store.read { db in try Self.consentsByCustomer(db, sql, parameters) }
    }

    /// The accounts with these ids that exist (agreements name only their account; the policy
    /// needs the account's customer).
    public func accounts(ids: Set<String>) async throws -> [String: CustomerAccount] {
        try await store.read { db in
            var accounts: [String: CustomerAccount] = [:]
            for id in ids {
                if let account = try Tables.accounts.fetch(id, db) { accounts[id] = account }
            }
            return accounts
        }
    }

    /// This service's audit trail (the `audit_records` table of its store).
    public var auditTrail: AuditTrail { AuditTrail(store: store, ids: ids) }
}
