import QuantumTypes
import ServiceKit

extension OutageOperations {
    /// The audit trail's list, shared by every service (ServiceKit's `AuditTrail.list`); the
    /// service layer lets only corporate callers in (`AuditTrailAccess`) when authentication is on.
    public func listAuditRecords(_ request: ListAuditRecordsRequest) async throws -> ListAuditRecordsResponse {
        try await AuditTrail(store: store, ids: ids).list(request, pages: pages)
    }
}
