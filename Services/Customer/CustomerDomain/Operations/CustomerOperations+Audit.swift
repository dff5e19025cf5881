import QuantumTypes
import ServiceKit

extension CustomerOperations {
    /// The audit trail's list, shared by every service (ServiceKit's `AuditTrail.list`); the
    /// service layer lets only corporate callers in (`AuditTrailAccess`) when authentication is on.
    public func listAuditRecords(_ request: ListAuditRecordsRequest) async throws -> ListAuditRecordsResponse {
        try await auditTrail.list(request, pages: pages)
    }
}
