import ServiceKit

extension FinanceOperations {
    /// This service's audit trail (the `audit_records` table of its store), written by the
    /// separation policy (issue 11).
    public var auditTrail: AuditTrail { AuditTrail(store: store, ids: ids) }
}
