import AssetAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit

extension AssetOperations {
    static let auditFilter = TextFilter(fields: [
        "subject": .text("subject"),
        "decision": .enumeration("decision", AuditDecision.self, prefix: "AUDIT_DECISION_"),
        "caller_business_unit": .enumeration("caller_business_unit", BusinessUnit.self, prefix: "BUSINESS_UNIT_"),
        "customer_id": .text("customer_id"),
        "resource_id": .text("resource_id"),
        "method": .text("method"),
    ])

    /// Serves the audit trail table, which the separation policy writes; the service layer lets
    /// only corporate callers in (`AuditTrailAccess`) when authentication is on.
    public func listAuditRecords(_ request: ListAuditRecordsRequest) async throws -> ListAuditRecordsResponse {
        let order: KeysetOrder
        switch request.orderBy.trimmingCharacters(in: .whitespaces) {
        case "", "record_time": order = KeysetOrder(column: "record_ms", isInteger: true)
        case "record_time desc": order = KeysetOrder(column: "record_ms", isInteger: true, descending: true)
        default: throw Fail.invalid("order_by '\(request.orderBy)' is not one of: record_time, record_time desc")
        }
        var conditions = Conditions()
        try Self.auditFilter.apply(request.filter, to: &conditions)
        try Self.addTimeRange(request.timeRange, column: "record_ms", field: "time_range", to: &conditions)
        let page = try PageRequest(
            method: "ListAuditRecords",
            fields: ["filter": request.filter, "order_by": request.orderBy, "time_range": Self.describe(request.timeRange)],
            pageSize: request.pageSize, pageToken: request.pageToken, codec: pages)
        let result = try await store.read { [conditions] db in
            try page.read(db, select: "SELECT body, record_ms, id FROM audit_records", where: conditions, order: order, codec: pages) {
                row -> AuditRecord in try AssetRows.decode(row, "body")
            }
        }
        return .with {
            $0.auditRecords = result.items
            $0.nextPageToken = result.nextPageToken
        }
    }
}
