import Foundation
import ServiceKit
import XCTest

/// kill -9 of a process in the middle of writing: every commit it acknowledged is in the
/// file, whole, and the file is intact.
final class StoreCrashTests: XCTestCase {
    func testEveryAcknowledgedCommitSurvivesKillDashNine() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("crash.sqlite3")

        var lastAcknowledged: Int64 = 0
        for round in 1...3 {
            // Each round starts from what the killed one left, so recovery of a killed file is tested too.
            let output = try runHelperAndKill(path: path, afterCommits: 200)
            let acknowledged = output.split(separator: "\n").compactMap { line -> Int64? in
                guard line.hasPrefix("committed ") else { return nil }
                return Int64(line.dropFirst("committed ".count))
            }
            XCTAssertGreaterThanOrEqual(acknowledged.count, 200, "round \(round): the helper committed too little")
            // The commit in flight at the kill may have reached the disk without being printed.
            let resumedAt = try XCTUnwrap(acknowledged.first)
            XCTAssertTrue(
                resumedAt == lastAcknowledged + 1 || resumedAt == lastAcknowledged + 2,
                "round \(round) resumed at \(resumedAt) after \(lastAcknowledged) acknowledged commits")
            lastAcknowledged = try XCTUnwrap(acknowledged.last)
        }

        let schema = try StoreSchema([
            Migration(
                version: 1, name: "crash_test",
                sql: """
                    CREATE TABLE ticks (n INTEGER PRIMARY KEY, payload BLOB NOT NULL);
                    CREATE TABLE tick_log (n INTEGER PRIMARY KEY REFERENCES ticks (n), note TEXT NOT NULL);
                    """)
        ])
        let store = try await SQLiteStore.open(path: path, schema: schema)
        let (integrity, ticks, logs, maxTick, missing) = try await store.read { db in
            (
                try db.scalar("PRAGMA integrity_check", as: String.self),
                try db.scalar("SELECT COUNT(*) FROM ticks", as: Int64.self)!,
                try db.scalar("SELECT COUNT(*) FROM tick_log", as: Int64.self)!,
                try db.scalar("SELECT MAX(n) FROM ticks", as: Int64.self)!,
                try db.scalar(
                    "SELECT COUNT(*) FROM ticks t LEFT JOIN tick_log l USING (n) WHERE l.n IS NULL OR length(t.payload) != 4096",
                    as: Int64.self)!
            )
        }
        await store.close()
        XCTAssertEqual(integrity, "ok")
        XCTAssertEqual(ticks, logs, "a transaction was torn")
        XCTAssertEqual(missing, 0)
        XCTAssertGreaterThanOrEqual(maxTick, lastAcknowledged, "an acknowledged commit was lost")
        XCTAssertEqual(ticks, maxTick, "numbers are contiguous from 1")
        // At most the one commit in flight at the kill may be there without having been printed.
        XCTAssertLessThanOrEqual(maxTick - lastAcknowledged, 1)
    }

    /// Starts the helper, waits until it printed `afterCommits` commits, SIGKILLs it, and
    /// returns everything it printed.
    private func runHelperAndKill(path: String, afterCommits: Int) throws -> String {
        let process = Process()
        process.executableURL = try helperURL()
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        var output = Data()
        let deadline = Date().addingTimeInterval(60)
        let reader = pipe.fileHandleForReading
        while Date() < deadline {
            let chunk = reader.availableData
            if chunk.isEmpty { break }  // the helper ended early: the asserts will say so
            output.append(chunk)
            if output.reduce(0, { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }) >= afterCommits { break }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        // Whatever it wrote before dying is still in the pipe.
        output.append(reader.readDataToEndOfFile())
        XCTAssertEqual(process.terminationReason, .uncaughtSignal, "the helper was killed, not ended")
        return String(decoding: output, as: UTF8.self)
    }

    /// The helper executable sits next to the test bundle in the build directory.
    private func helperURL() throws -> URL {
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle(for: Self.self).bundleURL.deletingLastPathComponent(),
        ].map { $0.appendingPathComponent("StoreCrashHelper") }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw HelperMissing(description: "StoreCrashHelper not built next to the tests (looked in \(candidates.map(\.path)))")
        }
        return found
    }
}

private struct HelperMissing: Error, CustomStringConvertible {
    let description: String
}
