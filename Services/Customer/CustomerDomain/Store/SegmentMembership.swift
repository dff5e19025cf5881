import CustomerAPI
import ServiceKit

/// A segment's criteria as a condition on the `customers` table: the customer's kind is one
/// listed, and one premise where it holds an account meets every premise condition (area,
/// postal-code prefix, commodity). Empty lists do not restrict.
enum SegmentMembership {
    static func condition(_ criteria: SegmentCriteria?) -> SQLCondition {
        guard let criteria else { return SQLCondition("1 = 1") }
        var parts: [SQLCondition] = []
        if !criteria.customerKinds.isEmpty {
            parts.append(.oneOf("customers.kind", criteria.customerKinds.map { .integer(Int64($0.rawValue)) }))
        }
        var premiseParts: [SQLCondition] = []
        if !criteria.administrativeAreas.isEmpty {
            premiseParts.append(.oneOf("p.administrative_area", criteria.administrativeAreas.map { .text($0) }))
        }
        if !criteria.postalCodePrefixes.isEmpty {
            let each = Array(repeating: "substr(p.postal_code, 1, length(?)) = ?", count: criteria.postalCodePrefixes.count)
            premiseParts.append(SQLCondition(
                each.joined(separator: " OR "), criteria.postalCodePrefixes.flatMap { [SQLValue.text($0), .text($0)] }))
        }
        if !criteria.serviceTypes.isEmpty {
            premiseParts.append(SQLCondition("(p.service_mask & ?) != 0", [.integer(ColumnEncoding.bitmask(criteria.serviceTypes))]))
        }
        if !premiseParts.isEmpty {
            let inner = premiseParts.map { "(\($0.sql))" }.joined(separator: " AND ")
            parts.append(SQLCondition(
                "EXISTS (SELECT 1 FROM accounts a JOIN premises p ON p.id = a.premise_id WHERE a.customer_id = customers.id AND \(inner))",
                premiseParts.flatMap(\.parameters)))
        }
        guard !parts.isEmpty else { return SQLCondition("1 = 1") }
        return SQLCondition(parts.map { "(\($0.sql))" }.joined(separator: " AND "), parts.flatMap(\.parameters))
    }

    static func count(_ criteria: SegmentCriteria?, _ db: any StoreReading) throws -> Int64 {
        let condition = condition(criteria)
        return try db.queryOne("SELECT COUNT(*) FROM customers WHERE \(condition.sql)", parameters: condition.parameters)?
            .get(0, as: Int64.self) ?? 0
    }
}
