import Foundation
import NIOPosix

/// The embedded ``Store``: one SQLite file in WAL mode, one writer connection, a few
/// reader connections.
///
/// **Threads.** SQLite calls block (disk I/O, fsync at every commit, the busy timeout), so
/// they run on the store's own ``NIOThreadPool`` — one thread per connection, started at
/// open and joined at close — never on a NIO event loop (which would stall every socket it
/// serves) nor on the Swift concurrency pool (a few threads, one per core; blocking them
/// stalls every task in the process). Callers wait for a connection as a suspended task,
/// then the closure runs on a pool thread.
public final class SQLiteStore: Store {
    public struct Options: Sendable {
        /// Connections for concurrent reads. Each is one more thread and a few MiB of cache.
        public var readerCount = 4
        /// How long a statement waits for a lock held by another process before failing
        /// with ``StoreError/busy(message:)``.
        public var busyTimeout: Duration = .seconds(5)

        public init(readerCount: Int = 4, busyTimeout: Duration = .seconds(5)) {
            self.readerCount = readerCount
            self.busyTimeout = busyTimeout
        }
    }

    /// The database file.
    public let path: String
    /// The schema version before this open migrated it (0 for a new file).
    public let openedAtVersion: Int
    /// The schema version the file has now (the code's newest).
    public let schemaVersion: Int

    private let writer: ConnectionPool
    private let readers: ConnectionPool
    private let threads: NIOThreadPool

    private init(
        path: String, migration: SQLiteMigrator.Outcome, writer: SQLiteConnection, readers: [SQLiteConnection],
        threads: NIOThreadPool
    ) {
        self.path = path
        self.openedAtVersion = migration.fromVersion
        self.schemaVersion = migration.toVersion
        self.writer = ConnectionPool([writer])
        self.readers = ConnectionPool(readers)
        self.threads = threads
    }

    /// A store dropped without ``close()`` still stops its threads (the connections close in
    /// their own deinit). Call `close()` anyway: only it waits for work in progress.
    deinit {
        threads.shutdownGracefully { _ in }
    }

    /// Opens (creating if needed) the database at `path` and migrates it to `schema`.
    /// The directory must exist. Throws ``StoreError/schemaTooNew(fileVersion:knownVersion:)``
    /// for a file a newer release has migrated.
    public static func open(path: String, schema: StoreSchema, options: Options = Options()) async throws -> SQLiteStore {
        guard options.readerCount >= 1 else {
            throw StoreError.invalidLocation("readerCount must be at least 1, got \(options.readerCount)")
        }
        let directory = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.isEmpty ? "." : directory, isDirectory: &isDirectory),
            isDirectory.boolValue
        else {
            throw StoreError.invalidLocation("the directory of \(path) does not exist")
        }
        let threads = NIOThreadPool(numberOfThreads: options.readerCount + 1)
        threads.start()
        do {
            let store = try await threads.runIfActive {
                var opened: [SQLiteConnection] = []
                do {
                    let writer = try SQLiteConnection(path: path, role: .writer, busyTimeout: options.busyTimeout)
                    opened.append(writer)
                    let outcome = try SQLiteMigrator.migrate(writer, to: schema)
                    var readers: [SQLiteConnection] = []
                    for _ in 0..<options.readerCount {
                        readers.append(try SQLiteConnection(path: path, role: .reader, busyTimeout: options.busyTimeout))
                        opened.append(readers[readers.count - 1])
                    }
                    return SQLiteStore(path: path, migration: outcome, writer: writer, readers: readers, threads: threads)
                } catch {
                    for connection in opened.reversed() { connection.close() }
                    throw error
                }
            }
            return store
        } catch {
            try? await threads.shutdownGracefully()
            throw error
        }
    }

    @discardableResult
    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReading) throws -> T) async throws -> T {
        let connection = try await readers.acquire()
        defer { readers.release(connection) }
        // A read transaction pins one snapshot for every query of the closure.
        return try await threads.runIfActive {
            try connection.inTransaction(begin: "BEGIN") { try body(SQLiteAccess(connection: connection)) }
        }
    }

    @discardableResult
    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriting) throws -> T) async throws -> T {
        let connection = try await writer.acquire()
        defer { writer.release(connection) }
        // IMMEDIATE takes the write lock at BEGIN, so a transaction never fails half-way
        // with SQLITE_BUSY when it upgrades from reading to writing.
        return try await threads.runIfActive {
            try connection.inTransaction(begin: "BEGIN IMMEDIATE") { try body(SQLiteAccess(connection: connection)) }
        }
    }

    public func close() async {
        let connections = await readers.drain() + writer.drain()
        guard !connections.isEmpty else { return }
        // Readers first, the writer last: the last connection to close checkpoints the WAL
        // into the main file and removes it.
        _ = try? await threads.runIfActive {
            for connection in connections { connection.close() }
        }
        try? await threads.shutdownGracefully()
    }
}
