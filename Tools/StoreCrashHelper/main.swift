// store-crash-helper: commits numbered transactions to a SQLite store as fast as it can and
// prints "committed N" after each commit returns. ServiceKitTests kills it with SIGKILL in
// the middle and checks that every printed commit is in the file, whole.
//
// Usage: StoreCrashHelper <database path> [max transactions]
import Foundation
import ServiceKit

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: StoreCrashHelper <database path> [max transactions]\n".utf8))
    exit(64)
}
let path = arguments[1]
let limit = arguments.count >= 3 ? Int(arguments[2]) ?? Int.max : Int.max

// Each transaction writes one row into each of two tables, so a torn transaction would show
// as a count mismatch between them.
let schema = try StoreSchema([
    Migration(
        version: 1, name: "crash_test",
        sql: """
            CREATE TABLE ticks (n INTEGER PRIMARY KEY, payload BLOB NOT NULL);
            CREATE TABLE tick_log (n INTEGER PRIMARY KEY REFERENCES ticks (n), note TEXT NOT NULL);
            """)
])
let store = try await SQLiteStore.open(path: path, schema: schema)
let start = try await store.read { db in try db.scalar("SELECT COALESCE(MAX(n), 0) FROM ticks", as: Int64.self) ?? 0 }
let payload = [UInt8](repeating: 0xAB, count: 4096)
var n = start
while n - start < limit {
    n += 1
    let number = n
    try await store.write { tx in
        try tx.execute("INSERT INTO ticks (n, payload) VALUES (?, ?)", number, payload)
        try tx.execute("INSERT INTO tick_log (n, note) VALUES (?, ?)", number, "tick \(number)")
    }
    // Unbuffered write(2), so what the test reads is exactly what was acknowledged.
    let line = Array("committed \(number)\n".utf8)
    line.withUnsafeBytes { _ = write(STDOUT_FILENO, $0.baseAddress, $0.count) }
}
await store.close()
