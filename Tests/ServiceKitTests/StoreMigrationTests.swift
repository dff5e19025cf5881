import Foundation
import ServiceKit
import XCTest

final class StoreMigrationTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    func testAFreshFileGetsEveryMigrationRecordedInOrder() async throws {
        let store = try await SQLiteStore.open(
            path: directory.file("fresh.sqlite3"), schema: TestSchema.schema(TestSchema.v1, TestSchema.v2))
        XCTAssertEqual(store.openedAtVersion, 0)
        XCTAssertEqual(store.schemaVersion, 2)
        let recorded = try await store.read { db in
            try db.query("SELECT version, name FROM schema_migrations ORDER BY version").map {
                "\(try $0.get(0, as: Int.self)):\(try $0.get(1, as: String.self))"
            }
        }
        XCTAssertEqual(recorded, ["1:people", "2:pets"])
        let tables = try await store.read { db in
            try db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map { try $0.get(0, as: String.self) }
        }
        XCTAssertEqual(tables, ["people", "pets", "schema_migrations"])
        let journal = try await store.read { db in try db.scalar("PRAGMA journal_mode", as: String.self) }
        XCTAssertEqual(journal, "wal")
        // FULL (2): the WAL is synced at every commit; foreign keys on for every connection.
        let writerSettings = try await store.write { tx in
            [try tx.scalar("PRAGMA synchronous", as: Int.self), try tx.scalar("PRAGMA foreign_keys", as: Int.self)]
        }
        XCTAssertEqual(writerSettings, [2, 1])
        let readerForeignKeys = try await store.read { db in try db.scalar("PRAGMA foreign_keys", as: Int.self) }
        XCTAssertEqual(readerForeignKeys, 1)
        await store.close()
    }

    func testReopeningAppliesOnlyNewMigrationsAndKeepsData() async throws {
        let path = directory.file("grow.sqlite3")
        let first = try await SQLiteStore.open(path: path, schema: TestSchema.schema(TestSchema.v1))
        try await first.write { tx in try tx.execute("INSERT INTO people (id, name) VALUES (?, ?)", "p1", "Ada") }
        await first.close()

        let same = try await SQLiteStore.open(path: path, schema: TestSchema.schema(TestSchema.v1))
        XCTAssertEqual(same.openedAtVersion, 1)
        XCTAssertEqual(same.schemaVersion, 1)
        await same.close()

        let grown = try await SQLiteStore.open(
            path: path, schema: TestSchema.schema(TestSchema.v1, TestSchema.v2, TestSchema.v3))
        XCTAssertEqual(grown.openedAtVersion, 1)
        XCTAssertEqual(grown.schemaVersion, 3)
        let row = try await grown.read { db in try db.queryOne("SELECT name, email FROM people WHERE id = ?", "p1") }
        XCTAssertEqual(try row?.get("name", as: String.self), "Ada")
        XCTAssertEqual(try row?.get("email", as: String?.self), .some(nil))
        await grown.close()
    }

    func testAFileMigratedByNewerCodeIsRefused() async throws {
        let path = directory.file("newer.sqlite3")
        let newer = try await SQLiteStore.open(
            path: path, schema: TestSchema.schema(TestSchema.v1, TestSchema.v2, TestSchema.v3))
        await newer.close()
        await assertThrowsStoreError(
            try await SQLiteStore.open(path: path, schema: TestSchema.schema(TestSchema.v1, TestSchema.v2))
        ) { $0 == .schemaTooNew(fileVersion: 3, knownVersion: 2) }
        XCTAssertTrue(
            StoreError.schemaTooNew(fileVersion: 3, knownVersion: 2).description.contains("version 3"),
            "the message names both versions")
    }

    func testAMigrationRecordedUnderAnotherNameIsRefused() async throws {
        let path = directory.file("renamed.sqlite3")
        let store = try await SQLiteStore.open(path: path, schema: TestSchema.schema(TestSchema.v1))
        await store.close()
        let impostor = Migration(version: 1, name: "humans", sql: TestSchema.v1.sql)
        await assertThrowsStoreError(try await SQLiteStore.open(path: path, schema: TestSchema.schema(impostor))) {
            $0 == .schemaMismatch(version: 1, fileName: "people", codeName: "humans")
        }
    }

    func testAFailingMigrationLeavesTheFileAsItWas() async throws {
        let path = directory.file("broken.sqlite3")
        let store = try await SQLiteStore.open(path: path, schema: TestSchema.schema(TestSchema.v1))
        await store.close()
        // Its first statement is fine, its second is not: neither may remain.
        let broken = Migration(
            version: 2, name: "broken", sql: "CREATE TABLE half (x INTEGER); INSERT INTO no_such_table VALUES (1);")
        await assertThrowsStoreError(
            try await SQLiteStore.open(path: path, schema: TestSchema.schema(TestSchema.v1, broken))
        ) {
            if case .migrationFailed(2, "broken", _) = $0 { return true }
            return false
        }
        let reopened = try await SQLiteStore.open(path: path, schema: TestSchema.schema(TestSchema.v1))
        XCTAssertEqual(reopened.openedAtVersion, 1)
        let half = try await reopened.read { db in
            try db.scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'", as: Int.self)
        }
        XCTAssertEqual(half, 0)
        await reopened.close()
    }

    func testTheConfigurationOpensItsStoreCreatingTheDataDirectory() async throws {
        let configuration = try ServiceOptions.parse(["--data-dir", directory.file("data/nested")])
            .resolve(defaults: ServiceDefaults(serviceName: "customer", port: 50051, adminPort: 9051), environment: [:])
        let store = try await configuration.openStore(schema: TestSchema.schema(TestSchema.v1))
        try await store.write { tx in try tx.execute("INSERT INTO people (id, name) VALUES ('p', 'n')") }
        await store.close()
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.file("data/nested/customer.sqlite3")))
    }

    func testMigrationListsMustCountFromOne() {
        XCTAssertThrowsError(try StoreSchema([TestSchema.v2])) { error in
            XCTAssertEqual(
                (error as? StoreError)?.description, "invalid migration list: migration 'pets' has version 2, expected 1")
        }
        XCTAssertThrowsError(try StoreSchema([TestSchema.v1, TestSchema.v3]))
        XCTAssertNoThrow(try StoreSchema([]))
    }

    func testOpeningInAMissingDirectoryNamesIt() async {
        await assertThrowsStoreError(
            try await SQLiteStore.open(path: directory.file("nope/x.sqlite3"), schema: TestSchema.schema(TestSchema.v1))
        ) { $0.description.contains("nope") }
    }

    func testAFileThatIsNotADatabaseIsRefused() async throws {
        let path = directory.file("garbage.sqlite3")
        try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: path))
        await assertThrowsStoreError(try await SQLiteStore.open(path: path, schema: TestSchema.schema(TestSchema.v1))) {
            $0.description.contains("not a database")
        }
    }
}
