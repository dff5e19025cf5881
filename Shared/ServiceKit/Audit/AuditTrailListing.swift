import Foundation
import ProtoRuntime
import QuantumTypes
import RPCCore

/// `ListAuditRecords`, which every domain service serves over the `audit_records` table this
/// type writes: one implementation, so the filter, order, time range and page tokens behave
/// the same whichever service an auditor asks. Who may call it (`AuditTrailAccess`) is the
/// service layer's business.
extension AuditTrail {
    /// AIP-160 `field = value` terms joined by AND; enum values with or without their prefix.
    static let listFilter = TextFilter(fields: [
        "subject": .text("subject"),
        "decision": .enumeration("decision", AuditDecision.self, prefix: "AUDIT_DECISION_"),
        "caller_business_unit": .enumeration("caller_business_unit", BusinessUnit.self, prefix: "BUSINESS_UNIT_"),
        "customer_id": .text("customer_id"),
        "resource_id": .text("resource_id"),
        "method": .text("method"),
    ])

    /// One page of the trail, oldest first unless `order_by` is `record_time desc`. The page
    /// token is signed with `pages` and bound to the filter, order and time range.
    public func list(_ request: ListAuditRecordsRequest, pages: PageTokenCodec) async throws -> ListAuditRecordsResponse {
        let order: KeysetOrder
        switch request.orderBy.trimmingCharacters(in: .whitespaces) {
        case "", "record_time": order = KeysetOrder(column: "record_ms", isInteger: true)
        case "record_time desc": order = KeysetOrder(column: "record_ms", isInteger: true, descending: true)
        default: throw Fail.invalid("order_by '\(request.orderBy)' is not one of: record_time, record_time desc")
        }
        var conditions = Conditions()
        try Self.listFilter.apply(request.filter, to: &conditions)
        try conditions.addTimeRange(request.timeRange, column: "record_ms", field: "time_range")
        let page = try PageRequest(
            method: "ListAuditRecords",
            fields: ["filter": request.filter, "order_by": request.orderBy, "time_range": PageQuery.text(of: request.timeRange)],
            pageSize: request.pageSize, pageToken: request.pageToken, codec: pages)
        let result = try await store.read { [conditions] db in
            try page.read(db, select: "SELECT body, record_ms, id FROM audit_records", where: conditions, order: order, codec: pages) { row in
                let body: [UInt8] = try row.get("body")
                do {
                    return try AuditRecord(protobufBytes: body)
                } catch {
                    throw RPCError(code: .dataLoss, message: "an audit record in the store is unreadable")
                }
            }
        }
        return .with {
            $0.auditRecords = result.items
            $0.nextPageToken = result.nextPageToken
        }
    }
}
