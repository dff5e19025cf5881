import CSQLite

/// One SQLite connection with its cache of prepared statements.
///
/// Not thread-safe by itself, and it need not be: the store lends each connection to one
/// thread at a time (pool checkout), which is exactly what SQLite's multi-thread mode
/// (`SQLITE_OPEN_NOMUTEX`) requires.
///
/// `@unchecked Sendable`: a connection moves between the pool and the thread that borrows
/// it, but is never used by two threads at once (``ConnectionPool`` hands it out exclusively).
final class SQLiteConnection: @unchecked Sendable {
    enum Role: Sendable {
        /// The one connection that writes (and creates the file, and migrates it).
        case writer
        /// A read-only connection (`query_only`), one of the read pool.
        case reader
    }

    let path: String
    let role: Role
    private var handle: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    /// Enough for every statement a service has; a service that builds more distinct SQL
    /// texts than this (e.g. IN lists of varying length) just re-prepares.
    private let statementCacheLimit = 256

    init(path: String, role: Role, busyTimeout: Duration) throws {
        self.path = path
        self.role = role
        var db: OpaquePointer?
        var flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        if role == .writer { flags |= SQLITE_OPEN_CREATE }
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)  // a handle is returned even on failure; nil is a no-op
            throw StoreError.database(code: code, message: "cannot open \(path): \(message)", sql: nil)
        }
        handle = db
        do {
            try configure(busyTimeout: busyTimeout)
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    private func configure(busyTimeout: Duration) throws {
        let milliseconds = busyTimeout.components.seconds * 1000 + busyTimeout.components.attoseconds / 1_000_000_000_000_000
        sqlite3_busy_timeout(handle, Int32(clamping: milliseconds))
        // Foreign keys are off by default in SQLite, per connection; services rely on them.
        try execute("PRAGMA foreign_keys = ON")
        switch role {
        case .writer:
            // WAL lets readers keep reading a consistent snapshot while the writer commits,
            // and makes a commit one append to the log. The mode is stored in the file.
            let mode = try queryRows("PRAGMA journal_mode = WAL", []).first?[0]
            guard mode == .text("wal") else {
                throw StoreError.database(
                    code: SQLITE_ERROR, message: "cannot switch \(path) to WAL (journal mode is \(mode?.description ?? "unknown"))",
                    sql: nil)
            }
            // Acknowledged means durable: with synchronous=FULL the WAL is fsync'ed at every
            // COMMIT, so once `write` returns the transaction survives a crash or power loss.
            // (NORMAL syncs only at checkpoints: a power cut could lose the last commits —
            // still consistent, but a client would have been told "done" for a lost write.)
            try execute("PRAGMA synchronous = FULL")
        case .reader:
            // A read connection can never write, even if a repository gets it wrong.
            try execute("PRAGMA query_only = ON")
        }
    }

    /// Finalizes every statement and closes the handle. Safe to call twice.
    func close() {
        for statement in statements.values { sqlite3_finalize(statement) }
        statements.removeAll()
        if let handle {
            // _v2: never fails on unfinalized statements (there are none left; belt and braces).
            sqlite3_close_v2(handle)
            self.handle = nil
        }
    }

    var isInTransaction: Bool { handle.map { sqlite3_get_autocommit($0) == 0 } ?? false }

    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    // MARK: Statements

    /// Runs a statement to completion; returns the rows it changed.
    @discardableResult
    func execute(_ sql: String, _ parameters: [any SQLValueConvertible] = []) throws -> Int {
        try withStatement(sql, parameters) { statement in
            while try step(statement, sql) {}
            return Int(sqlite3_changes64(handle))
        }
    }

    func queryRows(_ sql: String, _ parameters: [any SQLValueConvertible]) throws -> [Row] {
        var rows: [Row] = []
        try forEachRow(sql, parameters) { row in
            rows.append(row)
            return true
        }
        return rows
    }

    func forEachRow(_ sql: String, _ parameters: [any SQLValueConvertible], _ body: (Row) throws -> Bool) throws {
        try withStatement(sql, parameters) { statement in
            let columnCount = sqlite3_column_count(statement)
            let names = (0..<columnCount).map { String(cString: sqlite3_column_name(statement, $0)) }
            while try step(statement, sql) {
                let values = (0..<columnCount).map { column(statement, $0) }
                guard try body(Row(columnNames: names, values: values)) else { return }
            }
        }
    }

    /// Runs several statements of constant SQL (migrations) in one call.
    func executeScript(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        defer { sqlite3_free(errorMessage) }
        guard code == SQLITE_OK else {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            throw Self.error(code: code, message: message, sql: nil)
        }
    }

    // MARK: Transactions

    /// Runs `body` between `begin` and COMMIT; rolls back when it throws or the commit fails.
    func inTransaction<T>(begin: String, _ body: () throws -> T) throws -> T {
        try execute(begin)
        let result: T
        do {
            result = try body()
        } catch {
            rollbackIfNeeded()
            throw error
        }
        guard isInTransaction else { throw StoreError.transactionEndedEarly }
        do {
            try execute("COMMIT")
        } catch {
            rollbackIfNeeded()
            throw error
        }
        return result
    }

    /// Some errors (disk full, I/O) make SQLite roll back on its own; ROLLBACK then would fail.
    private func rollbackIfNeeded() {
        if isInTransaction { _ = try? execute("ROLLBACK") }
    }

    // MARK: Internals

    /// A prepared statement for `sql`, bound to `parameters`, reset after `body` on every path.
    private func withStatement<T>(
        _ sql: String, _ parameters: [any SQLValueConvertible], _ body: (OpaquePointer) throws -> T
    ) throws -> T {
        let statement = try prepared(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        try bind(parameters, to: statement, sql: sql)
        return try body(statement)
    }

    private func prepared(_ sql: String) throws -> OpaquePointer {
        guard let handle else { throw StoreError.closed }
        if let cached = statements[sql] { return cached }
        var statement: OpaquePointer?
        var remainder = ""
        let code = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v3(handle, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, &tail)
            if let tail { remainder = String(cString: tail) }
            return code
        }
        guard code == SQLITE_OK else {
            sqlite3_finalize(statement)
            throw Self.error(code: code, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
        }
        guard let statement else {
            throw StoreError.database(code: SQLITE_MISUSE, message: "no SQL statement in the text", sql: sql)
        }
        guard remainder.allSatisfy({ $0.isWhitespace || $0 == ";" }) else {
            sqlite3_finalize(statement)
            throw StoreError.database(
                code: SQLITE_MISUSE, message: "one statement per call (text follows the first statement)", sql: sql)
        }
        if statements.count >= statementCacheLimit {
            for cached in statements.values { sqlite3_finalize(cached) }
            statements.removeAll(keepingCapacity: true)
        }
        statements[sql] = statement
        return statement
    }

    private func bind(_ parameters: [any SQLValueConvertible], to statement: OpaquePointer, sql: String) throws {
        let expected = Int(sqlite3_bind_parameter_count(statement))
        guard expected == parameters.count else {
            throw StoreError.parameterCount(sql: sql, expected: expected, given: parameters.count)
        }
        for (offset, parameter) in parameters.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch parameter.sqlValue {
            case .integer(let value): code = sqlite3_bind_int64(statement, index, value)
            case .real(let value): code = sqlite3_bind_double(statement, index, value)
            case .text(let value):
                code = value.withCString { sqlite3_bind_text(statement, index, $0, -1, csqlite_transient()) }
            case .blob(let bytes):
                code = bytes.isEmpty
                    ? sqlite3_bind_zeroblob(statement, index, 0)
                    : bytes.withUnsafeBytes {
                        sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), csqlite_transient())
                    }
            case .null: code = sqlite3_bind_null(statement, index)
            }
            guard code == SQLITE_OK else {
                throw Self.error(code: code, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
            }
        }
    }

    /// true: a row is ready; false: done.
    private func step(_ statement: OpaquePointer, _ sql: String) throws -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw Self.error(code: code, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
        }
    }

    private func column(_ statement: OpaquePointer, _ index: Int32) -> SQLValue {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(statement, index))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(statement, index) else { return .text("") }
            let count = Int(sqlite3_column_bytes(statement, index))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            guard let bytes = sqlite3_column_blob(statement, index) else { return .blob([]) }
            let count = Int(sqlite3_column_bytes(statement, index))
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            return .null
        }
    }

    private static func error(code: Int32, message: String, sql: String?) -> StoreError {
        switch code & 0xFF {
        case SQLITE_BUSY, SQLITE_LOCKED: .busy(message: message)
        case SQLITE_CONSTRAINT: .constraint(message: message)
        default: .database(code: code, message: message, sql: sql)
        }
    }
}
