/// A service's database, as narrow as the services need it: read snapshots and serialized
/// write transactions over parameterized SQL. SQLite implements it today
/// (``SQLiteStore``); a PostgreSQL backend can implement the same three calls later.
///
/// The closures are synchronous on purpose: they run on a thread reserved for the
/// connection (never on an event loop or the Swift concurrency pool), cannot `await`
/// anything while holding a transaction open, and so cannot deadlock the store. (They are
/// `@escaping` only because they hop to that thread; the call waits until they have run.)
///
/// ```swift
/// let customer = try await store.write { tx in
///     try tx.execute("INSERT INTO customers (id, name) VALUES (?, ?)", id, name)
///     return try tx.queryOne("SELECT id, name FROM customers WHERE id = ?", id)
/// }
/// ```
public protocol Store: Sendable {
    /// Runs `body` on a read-only snapshot: every query in it sees the same committed state.
    /// Many reads run at once, each on its own connection.
    @discardableResult
    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReading) throws -> T) async throws -> T

    /// Runs `body` in a write transaction. Writes are serialized (one at a time, in arrival
    /// order); the transaction commits when `body` returns — durably, before this call
    /// returns — and rolls back entirely when it throws.
    @discardableResult
    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriting) throws -> T) async throws -> T

    /// Waits for running reads and writes, then releases every connection. Later calls throw
    /// ``StoreError/closed``.
    func close() async
}

/// Queries inside a read or write transaction. SQL uses `?` placeholders; values are always
/// bound, never spliced into the text.
public protocol StoreReading {
    /// Every row `sql` returns.
    func query(_ sql: String, parameters: [any SQLValueConvertible]) throws -> [Row]

    /// Calls `body` for each row in turn without collecting them (for long results).
    /// Return false from `body` to stop early.
    func forEachRow(
        _ sql: String, parameters: [any SQLValueConvertible], _ body: (Row) throws -> Bool
    ) throws
}

/// Statements inside a write transaction.
public protocol StoreWriting: StoreReading {
    /// Runs one statement; returns the number of rows it inserted, updated or deleted.
    @discardableResult
    func execute(_ sql: String, parameters: [any SQLValueConvertible]) throws -> Int

    /// The rowid of the last row inserted on this connection.
    var lastInsertedRowID: Int64 { get }
}

extension StoreReading {
    public func query(_ sql: String, _ parameters: any SQLValueConvertible...) throws -> [Row] {
        try query(sql, parameters: parameters)
    }

    /// The first row, or nil when there is none.
    public func queryOne(_ sql: String, _ parameters: any SQLValueConvertible...) throws -> Row? {
        try queryOne(sql, parameters: parameters)
    }

    public func queryOne(_ sql: String, parameters: [any SQLValueConvertible]) throws -> Row? {
        var first: Row?
        try forEachRow(sql, parameters: parameters) { row in
            first = row
            return false
        }
        return first
    }

    /// The first column of the first row as `T` (e.g. `SELECT COUNT(*)`); nil when no row.
    public func scalar<T: SQLValueConvertible>(
        _ sql: String, _ parameters: any SQLValueConvertible..., as type: T.Type = T.self
    ) throws -> T? {
        try queryOne(sql, parameters: parameters).map { try $0.get(0, as: T.self) }
    }

    public func forEachRow(
        _ sql: String, _ parameters: any SQLValueConvertible..., body: (Row) throws -> Bool
    ) throws {
        try forEachRow(sql, parameters: parameters, body)
    }
}

extension StoreWriting {
    @discardableResult
    public func execute(_ sql: String, _ parameters: any SQLValueConvertible...) throws -> Int {
        try execute(sql, parameters: parameters)
    }
}
