import RPCCore
import ServiceKit

/// Conditions ANDed into a WHERE clause, with their bound values.
struct Conditions: Sendable {
    private(set) var clauses: [String] = []
    private(set) var values: [SQLValue] = []

    mutating func add(_ clause: String, _ parameters: SQLValue...) {
        add(clause, values: parameters)
    }

    mutating func add(_ clause: String, values parameters: [SQLValue]) {
        clauses.append(clause)
        values += parameters
    }

    /// The same conditions with `leading` bound first, for a SELECT whose own text has
    /// placeholders before the WHERE clause.
    func prefixed(by leading: [SQLValue]) -> Conditions {
        var copy = self
        copy.values = leading + values
        return copy
    }

    var sql: String { clauses.isEmpty ? "" : " WHERE " + clauses.map { "(\($0))" }.joined(separator: " AND ") }
}

/// A total list order: an optional sort column (text or integer), then the id column.
struct KeysetOrder: Sendable {
    var column: String?
    var isInteger = false
    var descending = false
    var idColumn = "id"

    static let byID = KeysetOrder()

    var sortColumns: [String] { (column.map { [$0] } ?? []) + [idColumn] }
    var orderBy: String { sortColumns.map { "\($0) \(descending ? "DESC" : "ASC")" }.joined(separator: ", ") }

    /// "rows after the cursor" for the last row's sort values (a page token's cursor).
    func after(_ cursor: [String]) throws(RPCError) -> (String, [SQLValue]) {
        let stale = Fail.invalid("page_token does not fit this list; start again without it")
        guard cursor.count == sortColumns.count else { throw stale }
        var values: [SQLValue] = []
        for (index, text) in cursor.enumerated() {
            if isInteger && index == 0 && column != nil {
                guard let number = Int64(text) else { throw stale }
                values.append(.integer(number))
            } else {
                values.append(.text(text))
            }
        }
        let tuple = "(" + sortColumns.joined(separator: ", ") + ")"
        let marks = "(" + Array(repeating: "?", count: values.count).joined(separator: ", ") + ")"
        return ("\(tuple) \(descending ? "<" : ">") \(marks)", values)
    }

    /// The cursor of a row read with `SELECT …, <sortColumns>`: its sort values as text.
    func cursor(of row: Row) -> [String] {
        sortColumns.map { name in
            switch (try? row.get(name, as: SQLValue.self)) ?? .null {
            case .integer(let number): String(number)
            case .text(let text): text
            default: ""
            }
        }
    }
}

/// One page of a list, read by keyset so deep pages cost the same as the first; the page
/// token is signed and bound to every request field but page_size and page_token.
struct PageRequest: Sendable {
    let query: PageQuery
    let size: Int
    let cursor: [String]?

    init(method: String, fields: [String: String], pageSize: Int32, pageToken: String, codec: PageTokenCodec,
         policy: PageSizePolicy = PageSizePolicy()) throws {
        query = PageQuery(method: method, fields: fields)
        size = try policy.resolve(pageSize)
        cursor = try codec.cursor(from: pageToken, for: query)
    }

    /// Reads the page: `select` names the table and the columns wanted, without WHERE/ORDER.
    func read<Item>(
        _ db: any StoreReading, select: String, where conditions: Conditions, order: KeysetOrder,
        codec: PageTokenCodec, _ decode: (Row) throws -> Item
    ) throws -> (items: [Item], nextPageToken: String) {
        var conditions = conditions
        if let cursor {
            let (clause, values) = try order.after(cursor)
            conditions.add(clause, values: values)
        }
        var items: [Item] = []
        var last: Row?
        var more = false
        let sql = "\(select)\(conditions.sql) ORDER BY \(order.orderBy) LIMIT ?"
        try db.forEachRow(sql, parameters: conditions.values + [SQLValue.integer(Int64(size + 1))]) { row in
            guard items.count < size else {
                more = true
                return false
            }
            items.append(try decode(row))
            last = row
            return true
        }
        let token = more ? last.map { codec.makeToken(cursor: order.cursor(of: $0), for: query) } ?? "" : ""
        return (items, token)
    }
}
