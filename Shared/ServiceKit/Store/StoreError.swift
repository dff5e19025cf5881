import RPCCore

/// What can go wrong in the store. Handlers may let these escape: they map to gRPC statuses
/// without leaking SQL or file paths to callers (the log has the details).
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database engine failed; `code` is its (extended) result code.
    case database(code: Int32, message: String, sql: String?)
    /// Another process holds the database lock longer than the busy timeout.
    case busy(message: String)
    /// A UNIQUE, FOREIGN KEY, CHECK or NOT NULL constraint refused a write.
    case constraint(message: String)
    /// The file's schema is newer than this build knows (a newer release migrated it).
    case schemaTooNew(fileVersion: Int, knownVersion: Int)
    /// The file records a migration under a version whose name differs from the code's.
    case schemaMismatch(version: Int, fileName: String, codeName: String)
    /// A migration's SQL failed; nothing of it was applied.
    case migrationFailed(version: Int, name: String, message: String)
    /// The migration list is malformed (versions must be 1, 2, 3… in order).
    case invalidSchema(String)
    /// A column held a value that is not the requested Swift type.
    case typeMismatch(column: String, expected: String, found: String)
    case noSuchColumn(String)
    /// A statement had a different number of `?` placeholders than parameters given.
    case parameterCount(sql: String, expected: Int, given: Int)
    /// The transaction was ended inside the closure (a COMMIT or ROLLBACK in the SQL).
    case transactionEndedEarly
    /// The store was closed, or is closing.
    case closed
    /// The store URL or path cannot be used.
    case invalidLocation(String)

    public var description: String {
        switch self {
        case let .database(code, message, sql):
            "database error \(code): \(message)" + (sql.map { " (in: \($0))" } ?? "")
        case let .busy(message): "database busy: \(message)"
        case let .constraint(message): "constraint violated: \(message)"
        case let .schemaTooNew(fileVersion, knownVersion):
            "the database schema is at version \(fileVersion) but this build knows only up to \(knownVersion); "
                + "run a newer release or restore a matching backup"
        case let .schemaMismatch(version, fileName, codeName):
            "migration \(version) is recorded as '\(fileName)' in the database but is '\(codeName)' in the code"
        case let .migrationFailed(version, name, message): "migration \(version) '\(name)' failed: \(message)"
        case let .invalidSchema(message): "invalid migration list: \(message)"
        case let .typeMismatch(column, expected, found): "column '\(column)' holds \(found), expected \(expected)"
        case let .noSuchColumn(name): "no column \(name)"
        case let .parameterCount(sql, expected, given):
            "statement expects \(expected) parameters, \(given) given: \(sql)"
        case .transactionEndedEarly: "the transaction was committed or rolled back inside the store closure"
        case .closed: "the store is closed"
        case let .invalidLocation(message): "invalid store location: \(message)"
        }
    }
}

extension StoreError: RPCErrorConvertible {
    /// Busy and closed are worth a retry (UNAVAILABLE); everything else is our fault (INTERNAL).
    /// Domain code checks its own rules before writing, so a constraint that still fires is a
    /// race or a bug, and is reported as ABORTED, which clients may retry at a higher level.
    public var rpcError: RPCError {
        switch self {
        case .busy: RPCError(code: .unavailable, message: "the store is busy; retry")
        case .closed: RPCError(code: .unavailable, message: "the service is shutting down; retry")
        case .constraint: RPCError(code: .aborted, message: "the write conflicted with stored data; retry")
        default: RPCError(code: .internal, message: "storage error")
        }
    }
}
