/// What a read or write closure sees: the borrowed connection, through the narrow
/// ``StoreReading`` / ``StoreWriting`` interface (a read closure gets it as
/// `StoreReading`; its connection is `query_only` besides).
struct SQLiteAccess: StoreWriting {
    let connection: SQLiteConnection

    func query(_ sql: String, parameters: [any SQLValueConvertible]) throws -> [Row] {
        try connection.queryRows(sql, parameters)
    }

    func forEachRow(_ sql: String, parameters: [any SQLValueConvertible], _ body: (Row) throws -> Bool) throws {
        try connection.forEachRow(sql, parameters, body)
    }

    @discardableResult
    func execute(_ sql: String, parameters: [any SQLValueConvertible]) throws -> Int {
        try connection.execute(sql, parameters)
    }

    var lastInsertedRowID: Int64 { connection.lastInsertedRowID }
}
