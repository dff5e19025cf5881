import ProtoRuntime
import ServiceKit

/// The order of a list: an optional sort column, always followed by `id` to make it total.
struct ListOrder: Sendable, Equatable {
    enum ColumnType: Sendable { case text, integer }

    let column: String?
    let type: ColumnType
    let descending: Bool

    static let byID = ListOrder(column: nil, type: .text, descending: false)
    static func by(_ column: String, _ type: ColumnType, descending: Bool = false) -> ListOrder {
        ListOrder(column: column, type: type, descending: descending)
    }
}

/// One page of a list, read by keyset: the rows after the cursor (the sort values of the last
/// row of the previous page), so deep pages cost the same as the first.
struct KeysetPage<Resource: ProtoMessage & Sendable>: Sendable {
    var items: [Resource]
    /// The cursor to continue from; nil when this was the last page.
    var next: [String]?

    static func read(
        _ table: ResourceTable<Resource>, _ db: any StoreReading, where conditions: [SQLCondition],
        order: ListOrder, after cursor: [String]?, limit: Int
    ) throws -> KeysetPage {
        var conditions = conditions
        if let cursor { conditions.append(try keyset(order, cursor)) }
        let direction = order.descending ? "DESC" : "ASC"
        let sortColumns = (order.column.map { [$0] } ?? []) + ["id"]
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.map { "(\($0.sql))" }.joined(separator: " AND ")
        let sql = "SELECT body, \(sortColumns.joined(separator: ", ")) FROM \(table.name)\(whereClause) ORDER BY "
            + sortColumns.map { "\($0) \(direction)" }.joined(separator: ", ") + " LIMIT ?"
        var items: [Resource] = []
        var lastCursor: [String]?
        var more = false
        try db.forEachRow(sql, parameters: conditions.flatMap(\.parameters) + [Int64(limit + 1)]) { row in
            guard items.count < limit else {
                more = true
                return false
            }
            items.append(try table.decode(row))
            lastCursor = try sortColumns.indices.map { index in try cursorText(row[index + 1]) }
            return true
        }
        return KeysetPage(items: items, next: more ? lastCursor : nil)
    }

    private static func keyset(_ order: ListOrder, _ cursor: [String]) throws(DomainError) -> SQLCondition {
        let comparison = order.descending ? "<" : ">"
        guard let column = order.column else {
            guard cursor.count == 1 else { throw .invalid("page_token does not fit this list; start again without it") }
            return SQLCondition("id \(comparison) ?", [.text(cursor[0])])
        }
        guard cursor.count == 2 else { throw .invalid("page_token does not fit this list; start again without it") }
        let sortValue: SQLValue
        switch order.type {
        case .text: sortValue = .text(cursor[0])
        case .integer:
            guard let number = Int64(cursor[0]) else { throw .invalid("page_token does not fit this list; start again without it") }
            sortValue = .integer(number)
        }
        return SQLCondition("(\(column), id) \(comparison) (?, ?)", [sortValue, .text(cursor[1])])
    }

    private static func cursorText(_ value: SQLValue) throws -> String {
        switch value {
        case .text(let text): return text
        case .integer(let number): return String(number)
        case .null: return "0"
        default: throw DomainError(.internal, "a sort column holds \(value.typeName)")
        }
    }
}
