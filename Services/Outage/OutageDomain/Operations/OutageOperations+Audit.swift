import OutageAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit

extension OutageOperations {
    static let auditFilter = TextFilter(fields: [
        "subject": .text("subject"),
        "decision": .enumeration("decision", AuditDecision.self, prefix: "AUDIT_DECISION_"),
        "caller_business_unit": .enumeration("caller_business_unit", BusinessUnit.self, prefix: "BUSINESS_UNIT_"),
        "customer_id": .text("customer_id"),
        "resource_id": .text("resource_id"),
        "method": .text("method"),
    ])

    /// Serves the audit trail table. The separation policy that writes it (and restricts this
    /// method to corporate callers) arrives with issue 11; filters, order and tokens are real.
    public func listAuditRecords(_ request: ListAuditRecordsRequest) async throws -> ListAuditRecordsResponse {
        let order: KeysetOrder
        switch request.orderBy.trimmingCharacters(in: .whitespaces) {
        case "", "record_time": order = KeysetOrder(column: "record_ms", isInteger: true)
        case "record_time desc": order = KeysetOrder(column: "record_ms", isInteger: true, descending: true)
        default: throw Fail.invalid("order_by '\(request.orderBy)' is not one of: record_time, record_time desc")
        }
        var conditions = Conditions()
        try Self.auditFilter.apply(request.filter, to: &conditions)
        if let range = request.timeRange {
            try Self.checkRange(range, "time_range")
            if let start = range.startTime { conditions.add("record_ms >= ?", .integer(TimeColumns.milliseconds(start))) }
            if let end = range.endTime { conditions.add("record_ms < ?", .integer(TimeColumns.milliseconds(end))) }
        }
        let page = try PageRequest(
            method: "ListAuditRecords",
            fields: ["filter": request.filter, "order_by": request.orderBy, "time_range": request.timeRange.map { Self.fingerprint($0) } ?? ""],
            pageSize: request.pageSize, pageToken: request.pageToken, codec: pages)
        let result = try await store.read { [conditions] db in
            try page.read(db, select: "SELECT body, record_ms, id FROM audit_records", where: conditions, order: order, codec: pages) {
                row -> AuditRecord in try Tables.auditRecords.decode(row)
            }
        }
        return .with {
            $0.auditRecords = result.items
            $0.nextPageToken = result.nextPageToken
        }
    }
}
