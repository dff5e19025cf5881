import ProtoRuntime
import RPCCore
import ServiceKit

/// A WHERE fragment written in this module; caller values travel in `parameters`.
struct Condition: Sendable {
    let sql: String
    let parameters: [SQLValue]

    init(_ sql: String, _ parameters: [SQLValue] = []) {
        self.sql = sql
        self.parameters = parameters
    }
}

/// One page of a list, read by keyset (the sort values of the previous page's last row), so
/// deep pages cost what the first does, under a signed token bound to the request's filters.
struct KeysetList: Sendable {
    /// The sort column before `id` (nil: by id only), and whether it holds integers.
    var sortColumn: String?
    var sortIsInteger = true
    var descending = false

    func page<Resource: ProtoMessage & Sendable>(
        _ resource: StoredResource<Resource>, where conditions: [Condition], query: PageQuery,
        pageSize: Int32, pageToken: String, codec: PageTokenCodec, store: any Store
    ) async throws -> (items: [Resource], nextPageToken: String) {
        let limit = try PageSizePolicy().resolve(pageSize)
        var conditions = conditions
        if let cursor = try codec.cursor(from: pageToken, for: query) { conditions.append(try after(cursor)) }
        let (items, next) = try await store.read { [conditions] db in try self.read(resource, where: conditions, limit: limit, db) }
        return (items, next.map { codec.makeToken(cursor: $0, for: query) } ?? "")
    }

    /// The first `limit` rows in this order inside the caller's read transaction, and the sort
    /// values of the last one when more follow (the next page's cursor). Batch reads call this
    /// for several lists in one transaction.
    func read<Resource: ProtoMessage & Sendable>(
        _ resource: StoredResource<Resource>, where conditions: [Condition], limit: Int, _ db: any StoreReading
    ) throws -> (items: [Resource], last: [String]?) {
        let columns = (sortColumn.map { [$0] } ?? []) + ["id"]
        let direction = descending ? "DESC" : "ASC"
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.map { "(\($0.sql))" }.joined(separator: " AND ")
        let sql = "SELECT body, \(columns.joined(separator: ", ")) FROM \(resource.table)\(whereClause) ORDER BY "
            + columns.map { "\($0) \(direction)" }.joined(separator: ", ") + " LIMIT ?"
        let parameters: [any SQLValueConvertible] = conditions.flatMap(\.parameters) + [Int64(limit + 1)]
        var items: [Resource] = []
        var last: [String] = []
        var more = false
        try db.forEachRow(sql, parameters: parameters) { row in
            guard items.count < limit else {
                more = true
                return false
            }
            items.append(try resource.decode(row))
            last = (1..<row.count).map { Self.text(row[$0]) }
            return true
        }
        return (items, more ? last : nil)
    }

    private func after(_ cursor: [String]) throws(RPCError) -> Condition {
        let comparison = descending ? "<" : ">"
        let misfit = Fail.invalid("page_token does not fit this list; start again without it")
        guard let sortColumn else {
            guard cursor.count == 1 else { throw misfit }
            return Condition("id \(comparison) ?", [.text(cursor[0])])
        }
        guard cursor.count == 2 else { throw misfit }
        let value: SQLValue
        if sortIsInteger {
            guard let number = Int64(cursor[0]) else { throw misfit }
            value = .integer(number)
        } else {
            value = .text(cursor[0])
        }
        return Condition("(\(sortColumn), id) \(comparison) (?, ?)", [value, .text(cursor[1])])
    }

    private static func text(_ value: SQLValue) -> String {
        switch value {
        case .text(let text): text
        case .integer(let number): String(number)
        default: ""
        }
    }
}
