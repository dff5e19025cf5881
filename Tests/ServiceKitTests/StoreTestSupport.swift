import Foundation
import ServiceKit
import XCTest

/// A fresh directory under the system temp dir, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "servicekit-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// The schema most store tests use: people, and pets that must belong to one.
enum TestSchema {
    static let v1 = Migration(
        version: 1, name: "people",
        sql: """
            CREATE TABLE people (id TEXT PRIMARY KEY, name TEXT NOT NULL, age INTEGER, score REAL, photo BLOB);
            """)
    static let v2 = Migration(
        version: 2, name: "pets",
        sql: """
            CREATE TABLE pets (id INTEGER PRIMARY KEY, owner TEXT NOT NULL REFERENCES people (id), name TEXT NOT NULL);
            CREATE INDEX pets_by_owner ON pets (owner);
            """)
    static let v3 = Migration(
        version: 3, name: "people_email", sql: "ALTER TABLE people ADD COLUMN email TEXT;")

    static func schema(_ migrations: Migration...) throws -> StoreSchema { try StoreSchema(migrations) }
}

/// Asserts that `body` throws a `StoreError` matching `matches`.
func assertThrowsStoreError<T>(
    _ body: @autoclosure () async throws -> T, file: StaticString = #filePath, line: UInt = #line,
    _ matches: (StoreError) -> Bool
) async {
    do {
        _ = try await body()
        XCTFail("expected a StoreError", file: file, line: line)
    } catch let error as StoreError {
        XCTAssertTrue(matches(error), "unexpected StoreError: \(error)", file: file, line: line)
    } catch {
        XCTFail("expected a StoreError, got \(error)", file: file, line: line)
    }
}
