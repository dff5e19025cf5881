import FinanceAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit

extension FinanceOperations {
    static let auditFilter = ListFilter(fields: [
        "subject": .equals(column: "subject"),
        "decision": ListFilter.enumeration("decision", AuditDecision.self),
        "caller_business_unit": ListFilter.enumeration("caller_business_unit", BusinessUnit.self),
        "customer_id": .equals(column: "customer_id"),
        "resource_id": .equals(column: "resource_id"),
        "method": .equals(column: "method"),
    ])

    /// Serves the audit trail table. Nothing writes to it yet: the separation policy and its
    /// audit records arrive with issue 11 (which also restricts this method to corporate
    /// callers). Until then pages are empty, but filter, order and tokens are checked.
    public func listAuditRecords(_ request: ListAuditRecordsRequest) async throws -> ListAuditRecordsResponse {
        var order = KeysetList(sortColumn: "record_ms")
        switch request.orderBy.trimmingCharacters(in: .whitespaces) {
        case "", "record_time": break
        case "record_time desc": order.descending = true
        default: throw Fail.invalid("order_by '\(request.orderBy)' is not one of: record_time, record_time desc")
        }
        var conditions = try Self.auditFilter.conditions(request.filter)
        conditions += try timeRange(request.timeRange, column: "record_ms", field: "time_range")
        let page = try await list(
            FinanceTables.auditRecords, method: "ListAuditRecords",
            fields: ["filter": request.filter, "order_by": request.orderBy, "time_range": describe(request.timeRange)],
            where: conditions, order: order, pageSize: request.pageSize, pageToken: request.pageToken)
        return .with {
            $0.auditRecords = page.items
            $0.nextPageToken = page.nextPageToken
        }
    }
}
