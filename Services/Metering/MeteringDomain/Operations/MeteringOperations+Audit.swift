import MeteringAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

extension MeteringOperations {
    /// Lists the audit trail. Issue 11 writes the records and restricts this call to corporate
    /// callers; until callers carry an identity it answers everyone, as customer-service does.
    public func listAuditRecords(_ request: ListAuditRecordsRequest) async throws -> ListAuditRecordsResponse {
        let descending: Bool
        switch request.orderBy.trimmingCharacters(in: .whitespaces) {
        case "", "record_time": descending = false
        case "record_time desc": descending = true
        default: throw MeteringError.invalid("order_by '\(request.orderBy)' is not one of: record_time, record_time desc")
        }
        var conditions = SQLConditions()
        let fields = ["subject", "decision", "caller_business_unit", "customer_id", "resource_id", "method"]
        for term in try FilterTerms(parsing: request.filter, allowed: fields).terms {
            switch term.field {
            case "decision":
                conditions.add("decision = ?", .integer(Int64(try AuditDecision.parse(term.value, field: "filter decision").rawValue)))
            case "caller_business_unit":
                let unit = try BusinessUnit.parse(term.value, field: "filter caller_business_unit")
                conditions.add("caller_business_unit = ?", .integer(Int64(unit.rawValue)))
            default:
                conditions.add("\(term.field) = ?", .text(term.value))
            }
        }
        if let start = request.timeRange?.startTime { conditions.add("record_ms >= ?", .integer(start.epochMilliseconds)) }
        if let end = request.timeRange?.endTime { conditions.add("record_ms < ?", .integer(end.epochMilliseconds)) }
        let query = PageQuery(method: "ListAuditRecords", fields: [
            "filter": request.filter, "order_by": request.orderBy,
            "start_ms": "\(request.timeRange?.startTime?.epochMilliseconds ?? 0)", "end_ms": "\(request.timeRange?.endTime?.epochMilliseconds ?? 0)",
        ])
        let size = try PageSizePolicy().resolve(request.pageSize)
        if let cursor = try pages.cursor(from: request.pageToken, for: query) {
            guard cursor.count == 2, let ms = Int64(cursor[0]) else {
                throw MeteringError.invalid("page_token does not fit this list; start again without it")
            }
            conditions.add("(record_ms, id) \(descending ? "<" : ">") (?, ?)", .integer(ms), .text(cursor[1]))
        }
        let direction = descending ? "DESC" : "ASC"
        let sql = "SELECT id, body, record_ms FROM audit_records\(conditions.whereClause) ORDER BY record_ms \(direction), id \(direction) LIMIT ?"
        let rows = try await store.read { [conditions] db in
            try db.query(sql, parameters: conditions.parameters + [SQLValue.integer(Int64(size + 1))]).map { row in
                do {
                    let body: [UInt8] = try row["body"]
                    return (try AuditRecord(protobufBytes: body), try row.get(2, as: Int64.self))
                } catch {
                    throw MeteringError.unreadable("audit record")
                }
            }
        }
        return .with {
            $0.auditRecords = rows.prefix(size).map { $0.0 }
            if rows.count > size {
                $0.nextPageToken = pages.makeToken(cursor: ["\(rows[size - 1].1)", rows[size - 1].0.auditRecordID], for: query)
            }
        }
    }
}
