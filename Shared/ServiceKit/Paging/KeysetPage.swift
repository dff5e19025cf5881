import RPCCore

// Keyset paging over a Store: WHERE conditions with bound values, a total order, and a page
// read whose signed page token resumes after the last row (shared by every service's lists).

/// Conditions ANDed into a WHERE clause, with their bound values.
public struct Conditions: Sendable {
    public private(set) var clauses: [String] = []
    public private(set) var values: [SQLValue] = []

    public init() {}

    public mutating func add(_ clause: String, _ parameters: SQLValue...) {
        add(clause, values: parameters)
    }

    public mutating func add(_ clause: String, values parameters: [SQLValue]) {
        clauses.append(clause)
        values += parameters
    }

    /// The same conditions with `leading` bound first, for a SELECT whose own text has
    /// placeholders before the WHERE clause.
    public func prefixed(by leading: [SQLValue]) -> Conditions {
        var copy = self
        copy.values = leading + values
        return copy
    }

    public var sql: String { clauses.isEmpty ? "" : " WHERE " + clauses.map { "(\($0))" }.joined(separator: " AND ") }
}

/// A total list order: an optional sort column (text or integer), then the id column.
public struct KeysetOrder: Sendable {
    public var column: String?
    public var isInteger: Bool
    public var descending: Bool
    public var idColumn: String

    public init(column: String? = nil, isInteger: Bool = false, descending: Bool = false, idColumn: String = "id") {
        self.column = column
        self.isInteger = isInteger
        self.descending = descending
        self.idColumn = idColumn
    }

    public static let byID = KeysetOrder()

    public var sortColumns: [String] { (column.map { [$0] } ?? []) + [idColumn] }
    public var orderBy: String { sortColumns.map { "\($0) \(descending ? "DESC" : "ASC")" }.joined(separator: ", ") }

    /// "rows after the cursor" for the last row's sort values (a page token's cursor).
    public func after(_ cursor: [String]) throws(RPCError) -> (String, [SQLValue]) {
        let stale = RPCError(code: .invalidArgument, message: "page_token does not fit this list; start again without it")
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
    public func cursor(of row: Row) -> [String] {
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
public struct PageRequest: Sendable {
    public let query: PageQuery
    public let size: Int
    public let cursor: [String]?

    public init(method: String, fields: [String: String], pageSize: Int32, pageToken: String, codec: PageTokenCodec,
         policy: PageSizePolicy = PageSizePolicy()) throws {
        query = PageQuery(method: method, fields: fields)
        size = try policy.resolve(pageSize)
        cursor = try codec.cursor(from: pageToken, for: query)
    }

    /// Reads the page: `select` names the table and the columns wanted, without WHERE/ORDER.
    public func read<Item>(
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
