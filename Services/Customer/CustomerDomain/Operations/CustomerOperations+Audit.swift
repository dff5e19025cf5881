import CustomerAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

extension CustomerOperations {
    static let auditFilter = FilterSchema([
        "subject": .textEquals("subject"),
        "decision": .enumEquals("decision", AuditDecision.self),
        "caller_business_unit": .enumEquals("caller_business_unit", BusinessUnit.self),
        "customer_id": .textEquals("customer_id"),
        "resource_id": .textEquals("resource_id"),
        "method": .textEquals("method"),
    ])

    /// Serves the audit trail table, which the separation policy writes (`CustomerSeparation`);
    /// the service layer lets only corporate callers in (`AuditTrailAccess`) when
    /// authentication is on.
    public func listAuditRecords(_ request: ListAuditRecordsRequest) async throws -> ListAuditRecordsResponse {
        let order: ListOrder
        switch request.orderBy.trimmingCharacters(in: .whitespaces) {
        case "", "record_time": order = .by("record_ms", .integer)
        case "record_time desc": order = .by("record_ms", .integer, descending: true)
        default: throw DomainError.invalid("order_by '\(request.orderBy)' is not one of: record_time, record_time desc")
        }
        var conditions = try Self.auditFilter.conditions(for: request.filter)
        conditions += try Self.timeRangeConditions(request.timeRange, column: "record_ms")
        let page = try await listPage(
            Tables.auditRecords, method: "ListAuditRecords",
            fields: ["filter": request.filter, "order_by": request.orderBy, "time_range": Self.describe(request.timeRange)],
            pageSize: request.pageSize, pageToken: request.pageToken, where: conditions, order: order)
        return .with {
            $0.auditRecords = page.items
            $0.nextPageToken = page.nextPageToken
        }
    }
}
