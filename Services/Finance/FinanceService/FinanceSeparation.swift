import FinanceAPI
import MeshAuth
import QuantumTypes
import RPCCore
import ServiceKit

/// The separation policy (issue 11) on finance-service's account data — transactions, balances
/// and bills are account-and-billing data of the account's business. The account's owner and
/// the customer's consents come from customer-service on every call (no cache).
///
/// A get of another business's record is PERMISSION_DENIED naming the rule; a list of such an
/// account comes back empty (one FILTERED audit record with the count left out). Cross-boundary
/// reads (consent, corporate role) and denials are audited. Without a caller (authentication
/// off) nothing is checked.
struct FinanceSeparation: Sendable {
    let owners: CustomerDirectory?
    let audit: AuditTrail

    /// A single record: allowed (audited when cross-boundary), or PERMISSION_DENIED (audited).
    func requireAccess(accountID: String, recordScope: RegulatoryScope, resourceID: String, kind: String) async throws {
        guard let caller = Caller.current else { return }
        let (decision, side, customerID) = try await decide(accountID: accountID, recordSide: DataSide(recordScope), caller: caller)
        try await audit.enforce(
            decision, caller: caller, data: .accountAndBilling, resourceID: resourceID, resourceKind: kind, side: side, customerID: customerID)
    }

    /// Whether a list of `count` records of one account may be shown; when not, they are all
    /// left out (one FILTERED record). An allowed cross-boundary list makes one record too.
    func allowsList(accountID: String, recordScopes: [RegulatoryScope], count: Int, kind: String) async throws -> Bool {
        guard let caller = Caller.current, count > 0 else { return true }
        let recordSide = recordScopes.lazy.compactMap(DataSide.init).first
        let (decision, side, customerID) = try await decide(accountID: accountID, recordSide: recordSide, caller: caller)
        let record = decision.isAllowed
            ? SeparationAudit.record(decision, caller: caller, resourceID: accountID, resourceKind: kind, side: side, customerID: customerID)
            : SeparationAudit.filtered(count: count, side: side, caller: caller, resourceKind: kind, customerID: customerID)
        if let record { try await audit.append([record]) }
        return decision.isAllowed
    }

    /// The decision for account-and-billing data of `accountID`. The account's side comes from
    /// customer-service (the record's own scope when the account is unknown there).
    func decide(accountID: String, recordSide: DataSide?, caller: Caller) async throws -> (SeparationDecision, DataSide?, String) {
        // The caller's own business's record: no question to ask.
        if let recordSide, caller.businessUnit.rawValue == recordSide.rawValue { return (.allowed, recordSide, "") }
        guard let owners else {
            throw RPCError(
                code: .failedPrecondition,
                message: "the separation policy needs customer-service: start finance-service with --peer customer=host:port")
        }
        let owner = try await owners.owner(ofAccount: accountID)
        let side = owner?.side ?? recordSide
        let customerID = owner?.customerID ?? ""
        var decision = SeparationPolicy.decide(caller: caller, recordSide: side, data: .accountAndBilling, consents: [])
        if !decision.isAllowed, !customerID.isEmpty {
            let consents = try await owners.activeConsents(customerID: customerID, recipient: caller.businessUnit)
            decision = SeparationPolicy.decide(caller: caller, recordSide: side, data: .accountAndBilling, consents: consents)
        }
        return (decision, side, customerID)
    }
}
