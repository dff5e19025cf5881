import Foundation
import ServiceKit
import XCTest

final class StoreReadWriteTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private var store: SQLiteStore!

    override func setUp() async throws {
        directory = try TemporaryDirectory()
        store = try await SQLiteStore.open(
            path: directory.file("rw.sqlite3"), schema: TestSchema.schema(TestSchema.v1, TestSchema.v2))
    }

    override func tearDown() async throws {
        await store?.close()
        directory.remove()
    }

    func testEveryValueTypeRoundTripsThroughBoundParameters() async throws {
        let store: SQLiteStore = self.store
        let photo: [UInt8] = [0, 1, 2, 255, 0]
        let name = "O'Brien \"the\" 🦊; DROP TABLE people; --"
        try await store.write { tx in
            try tx.execute(
                "INSERT INTO people (id, name, age, score, photo) VALUES (?, ?, ?, ?, ?)", "p1", name, Int64.max, 2.5, photo)
            try tx.execute("INSERT INTO people (id, name, age, score, photo) VALUES (?, ?, ?, ?, ?)", "p2", "", nil as Int?, nil as Double?, [UInt8]())
        }
        let rows = try await store.read { db in try db.query("SELECT id, name, age, score, photo FROM people ORDER BY id") }
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(try rows[0]["name"] as String, name, "text is stored as given, never interpreted as SQL")
        XCTAssertEqual(try rows[0]["age"] as Int64, Int64.max)
        XCTAssertEqual(try rows[0]["score"] as Double, 2.5)
        XCTAssertEqual(try rows[0]["photo"] as [UInt8], photo)
        XCTAssertEqual(try rows[1]["age"] as Int?, nil)
        XCTAssertEqual(try rows[1]["score"] as Double?, nil)
        XCTAssertEqual(try rows[1]["photo"] as [UInt8], [])
        XCTAssertEqual(try rows[1].get(1, as: String.self), "")
        let tables = try await store.read { db in try db.scalar("SELECT COUNT(*) FROM people", as: Int.self) }
        XCTAssertEqual(tables, 2)
    }

    func testReadingAColumnAsTheWrongTypeNamesTheColumn() async throws {
        let store: SQLiteStore = self.store
        try await store.write { tx in try tx.execute("INSERT INTO people (id, name) VALUES ('p1', 'Ada')") }
        await assertThrowsStoreError(try await store.read { db in
            try db.queryOne("SELECT name, age FROM people")!.get("age", as: Int64.self)
        }) { $0 == .typeMismatch(column: "age", expected: "Int64", found: "NULL") }
        await assertThrowsStoreError(try await store.read { db in
            try db.queryOne("SELECT name FROM people")!.get("nickname", as: String.self)
        }) { $0.description.contains("nickname") }
    }

    func testTheWrongNumberOfParametersIsAnErrorNotAGuess() async {
        let store: SQLiteStore = self.store
        await assertThrowsStoreError(try await store.write { tx in
            try tx.execute("INSERT INTO people (id, name) VALUES (?, ?)", "only one")
        }) { if case .parameterCount(_, 2, 1) = $0 { return true } else { return false } }
    }

    func testOneStatementPerCall() async {
        let store: SQLiteStore = self.store
        await assertThrowsStoreError(try await store.write { tx in
            try tx.execute("INSERT INTO people (id, name) VALUES ('a', 'b'); DELETE FROM people")
        }) { $0.description.contains("one statement per call") }
    }

    func testAFailedWriteRollsBackEverythingItDid() async throws {
        let store: SQLiteStore = self.store
        struct Refused: Error {}
        do {
            try await store.write { tx in
                try tx.execute("INSERT INTO people (id, name) VALUES ('p1', 'Ada')")
                try tx.execute("INSERT INTO pets (owner, name) VALUES ('p1', 'Rex')")
                throw Refused()
            }
            XCTFail("the write must throw")
        } catch is Refused {}
        let counts = try await store.read { db in
            [try db.scalar("SELECT COUNT(*) FROM people", as: Int.self), try db.scalar("SELECT COUNT(*) FROM pets", as: Int.self)]
        }
        XCTAssertEqual(counts, [0, 0])
        // And the writer is usable afterwards.
        try await store.write { tx in try tx.execute("INSERT INTO people (id, name) VALUES ('p2', 'Grace')") }
    }

    func testForeignKeysAreEnforced() async {
        let store: SQLiteStore = self.store
        await assertThrowsStoreError(try await store.write { tx in
            try tx.execute("INSERT INTO pets (owner, name) VALUES ('nobody', 'Rex')")
        }) { if case .constraint = $0 { return true } else { return false } }
    }

    func testAReadCannotWriteEvenWhenItTries() async {
        let store: SQLiteStore = self.store
        await assertThrowsStoreError(try await store.read { db in
            try (db as! any StoreWriting).execute("INSERT INTO people (id, name) VALUES ('x', 'y')")
        }) { $0.description.contains("readonly") || $0.description.contains("read-only") || $0.description.contains("query_only") }
    }

    func testCommittingInsideTheClosureIsRefused() async {
        let store: SQLiteStore = self.store
        await assertThrowsStoreError(try await store.write { tx in try tx.execute("COMMIT") }) {
            $0 == .transactionEndedEarly
        }
    }

    func testReadersNeverSeeHalfATransaction() async throws {
        let store: SQLiteStore = self.store
        // Each write adds a person and their pet together; every read must see equal counts.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for index in 0..<150 {
                    try await store.write { tx in
                        try tx.execute("INSERT INTO people (id, name) VALUES (?, ?)", "p\(index)", "n\(index)")
                        try tx.execute("INSERT INTO pets (owner, name) VALUES (?, ?)", "p\(index)", "pet")
                    }
                }
            }
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<100 {
                        let (people, pets) = try await store.read { db in
                            (try db.scalar("SELECT COUNT(*) FROM people", as: Int.self)!,
                             try db.scalar("SELECT COUNT(*) FROM pets", as: Int.self)!)
                        }
                        XCTAssertEqual(people, pets)
                    }
                }
            }
            try await group.waitForAll()
        }
        let total = try await store.read { db in try db.scalar("SELECT COUNT(*) FROM pets", as: Int.self) }
        XCTAssertEqual(total, 150)
    }

    func testReadsRunTogetherAndDoNotBlockTheWriter() async throws {
        let store: SQLiteStore = self.store
        // Four reads that each hold their connection for 500 ms take ~500 ms together, not
        // 2 s; a write issued meanwhile commits before they end (WAL).
        let clock = ContinuousClock()
        let start = clock.now
        let writeDone = try await withThrowingTaskGroup(of: Duration?.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try await store.read { db in
                        _ = try db.query("SELECT COUNT(*) FROM people")
                        usleep(500_000)
                    }
                    return nil
                }
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(50))
                try await store.write { tx in try tx.execute("INSERT INTO people (id, name) VALUES ('w', 'w')") }
                return start.duration(to: clock.now)
            }
            var writeDone: Duration?
            for try await value in group { if let value { writeDone = value } }
            return writeDone
        }
        let elapsed = start.duration(to: clock.now)
        XCTAssertLessThan(elapsed, .milliseconds(1500), "reads ran one after another")
        XCTAssertLessThan(try XCTUnwrap(writeDone), .milliseconds(450), "the write waited for the readers")
    }

    func testWritesAreSerializedAndNoneIsLost() async throws {
        let store: SQLiteStore = self.store
        try await store.write { tx in try tx.execute("INSERT INTO people (id, name, age) VALUES ('counter', 'c', 0)") }
        // Read-modify-write from 64 tasks: serialized writers never lose an update.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<64 {
                group.addTask {
                    try await store.write { tx in
                        let age = try tx.scalar("SELECT age FROM people WHERE id = 'counter'", as: Int64.self)!
                        try tx.execute("UPDATE people SET age = ? WHERE id = 'counter'", age + 1)
                    }
                }
            }
            try await group.waitForAll()
        }
        let age = try await store.read { db in try db.scalar("SELECT age FROM people WHERE id = 'counter'", as: Int64.self) }
        XCTAssertEqual(age, 64)
    }

    func testForEachRowStopsWhenAsked() async throws {
        let store: SQLiteStore = self.store
        try await store.write { tx in
            for index in 0..<10 { try tx.execute("INSERT INTO people (id, name) VALUES (?, 'x')", "p\(index)") }
        }
        let seen = try await store.read { db in
            var seen: [String] = []
            try db.forEachRow("SELECT id FROM people ORDER BY id") { row in
                seen.append(try row[0])
                return seen.count < 3
            }
            return seen
        }
        XCTAssertEqual(seen, ["p0", "p1", "p2"])
    }

    func testAReadWaitingForAConnectionCanBeCancelled() async throws {
        let single = try await SQLiteStore.open(
            path: directory.file("one-reader.sqlite3"), schema: TestSchema.schema(TestSchema.v1),
            options: SQLiteStore.Options(readerCount: 1))
        let holder = Task { try await single.read { _ in _ = usleep(400_000) } }
        try await Task.sleep(for: .milliseconds(50))
        let clock = ContinuousClock()
        let start = clock.now
        let waiter = Task { try await single.read { db in try db.scalar("SELECT 1", as: Int.self) } }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        do {
            _ = try await waiter.value
            XCTFail("a cancelled waiter must not get the connection")
        } catch is CancellationError {}
        XCTAssertLessThan(start.duration(to: clock.now), .milliseconds(300), "the waiter left without waiting for the holder")
        try await holder.value
        let after = try await single.read { db in try db.scalar("SELECT 1", as: Int.self) }
        XCTAssertEqual(after, 1, "the pool still works")
        await single.close()
    }

    func testWritesSurviveCloseAndReopen() async throws {
        let store: SQLiteStore = self.store
        let path = store.path
        try await store.write { tx in try tx.execute("INSERT INTO people (id, name) VALUES ('p1', 'Ada')") }
        await store.close()
        let reopened = try await SQLiteStore.open(path: path, schema: TestSchema.schema(TestSchema.v1, TestSchema.v2))
        let name = try await reopened.read { db in try db.scalar("SELECT name FROM people WHERE id = 'p1'", as: String.self) }
        XCTAssertEqual(name, "Ada")
        await reopened.close()
    }

    func testAClosedStoreRefusesWork() async throws {
        let store: SQLiteStore = self.store
        await store.close()
        await assertThrowsStoreError(try await store.read { db in try db.query("SELECT 1") }) { $0 == .closed }
        await assertThrowsStoreError(try await store.write { tx in try tx.execute("SELECT 1") }) { $0 == .closed }
        await store.close()  // twice is fine
    }

    func testCloseWaitsForTheWriteInProgress() async throws {
        let store: SQLiteStore = self.store
        let write = Task {
            try await store.write { tx in
                usleep(200_000)
                try tx.execute("INSERT INTO people (id, name) VALUES ('late', 'x')")
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        await store.close()
        try await write.value
        let reopened = try await SQLiteStore.open(path: store.path, schema: TestSchema.schema(TestSchema.v1, TestSchema.v2))
        let count = try await reopened.read { db in try db.scalar("SELECT COUNT(*) FROM people", as: Int.self) }
        XCTAssertEqual(count, 1)
        await reopened.close()
    }
}
