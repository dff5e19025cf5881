import Foundation
import GRPCHealthV1
import RPCCore
import ServiceKit
import XCTest

final class IdempotencyTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private var store: SQLiteStore!

    override func setUp() async throws {
        directory = try TemporaryDirectory()
        store = try await SQLiteStore.open(
            path: directory.file("idem.sqlite3"),
            schema: StoreSchema([
                Migration(version: 1, name: "orders", sql: "CREATE TABLE orders (id TEXT PRIMARY KEY, item TEXT NOT NULL)"),
                Idempotency.migration(version: 2),
            ]))
    }

    override func tearDown() async throws {
        await store?.close()
        directory.remove()
    }

    private func createOrder(item: String, requestID: String) async throws -> String {
        try await Self.createOrder(in: store, item: item, requestID: requestID)
    }

    /// A create: inserts an order and answers with its id (as bytes).
    private static func createOrder(in store: SQLiteStore, item: String, requestID: String) async throws -> String {
        let key = try IdempotencyKey.make(requestID: requestID, method: "CreateOrder", body: Array(item.utf8))
        let response = try await store.write { tx in
            try Idempotency.perform(tx, key: key) {
                let id = ResourceID.make("ORD")
                try tx.execute("INSERT INTO orders (id, item) VALUES (?, ?)", id, item)
                return Array(id.utf8)
            }
        }
        return String(decoding: response, as: UTF8.self)
    }

    private func orderCount() async throws -> Int {
        try await store.read { db in try db.scalar("SELECT COUNT(*) FROM orders", as: Int.self) ?? -1 }
    }

    func testTheSameRequestTwiceAnswersTheSameAndWritesOnce() async throws {
        let first = try await createOrder(item: "meter", requestID: "req-1")
        let again = try await createOrder(item: "meter", requestID: "req-1")
        XCTAssertEqual(first, again)
        let count = try await orderCount()
        XCTAssertEqual(count, 1)
    }

    func testTheSameRequestIDWithAnotherBodyIsAlreadyExists() async throws {
        _ = try await createOrder(item: "meter", requestID: "req-1")
        do {
            _ = try await createOrder(item: "charger", requestID: "req-1")
            XCTFail("a different body under the same request_id must fail")
        } catch let error as RPCError {
            XCTAssertEqual(error.code, .alreadyExists)
            XCTAssertTrue(error.message.contains("req-1"), error.message)
        }
        let count = try await orderCount()
        XCTAssertEqual(count, 1)
    }

    func testNoRequestIDMeansNoIdempotency() async throws {
        let first = try await createOrder(item: "meter", requestID: "")
        let second = try await createOrder(item: "meter", requestID: "")
        XCTAssertNotEqual(first, second)
        let count = try await orderCount()
        XCTAssertEqual(count, 2)
    }

    func testThirtyTwoRacingDuplicatesHaveOneEffect() async throws {
        let store: SQLiteStore = self.store
        let answers = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<32 { group.addTask { try await Self.createOrder(in: store, item: "battery", requestID: "race") } }
            var answers: [String] = []
            for try await answer in group { answers.append(answer) }
            return answers
        }
        XCTAssertEqual(answers.count, 32)
        XCTAssertEqual(Set(answers).count, 1, "every duplicate got the one created order")
        let count = try await orderCount()
        XCTAssertEqual(count, 1)
    }

    func testAFailedCreateIsNotRemembered() async throws {
        struct Invalid: Error {}
        let key = try IdempotencyKey.make(requestID: "req-f", method: "CreateOrder", body: [1])
        do {
            _ = try await store.write { tx in
                try Idempotency.perform(tx, key: key) { () throws -> [UInt8] in
                    try tx.execute("INSERT INTO orders (id, item) VALUES ('o1', 'x')")
                    throw Invalid()
                }
            }
            XCTFail("must throw")
        } catch is Invalid {}
        let records = try await store.read { db in try db.scalar("SELECT COUNT(*) FROM idempotency_records", as: Int.self) }
        XCTAssertEqual(records, 0)
        let count = try await orderCount()
        XCTAssertEqual(count, 0)
    }

    func testTypedResponsesAndKeysFromProtoMessages() async throws {
        // HealthCheckRequest stands in for a create request; its `service` plays request_id.
        let request = HealthCheckRequest.with { $0.service = "req-typed" }
        let key = try XCTUnwrap(IdempotencyKey.make(for: request, requestID: \.service, method: "Check"))
        XCTAssertEqual(key.requestID, "req-typed")
        let first = try await store.write { tx in
            try Idempotency.perform(tx, key: key) { HealthCheckResponse.with { $0.status = .serving } }
        }
        let replay = try await store.write { tx in
            try Idempotency.perform(tx, key: key) { () -> HealthCheckResponse in
                XCTFail("a replay must not run the create")
                return HealthCheckResponse()
            }
        }
        XCTAssertEqual(first, replay)
        XCTAssertEqual(replay.status, .serving)
    }

    func testOverlongRequestIDsAreInvalidArgument() {
        XCTAssertThrowsError(
            try IdempotencyKey.make(requestID: String(repeating: "x", count: 129), method: "M", body: [])
        ) { error in
            XCTAssertEqual((error as? RPCError)?.code, .invalidArgument)
        }
    }

    func testOldRecordsCanBePurged() async throws {
        _ = try await createOrder(item: "meter", requestID: "old")
        let purged = try await store.write { tx in try Idempotency.purge(tx, olderThan: Date().addingTimeInterval(60)) }
        XCTAssertEqual(purged, 1)
        _ = try await createOrder(item: "meter", requestID: "old")
        let count = try await orderCount()
        XCTAssertEqual(count, 2, "after the purge the request id creates again")
    }
}
