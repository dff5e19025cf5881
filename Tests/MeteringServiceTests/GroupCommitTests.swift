import Foundation
import MeteringAPI
@testable import MeteringDomain
import QuantumTypes
import ServiceKit
import XCTest

/// Group commit over the real SQLite store: batches of concurrent streams share a transaction,
/// each is acknowledged only after that commit, and a failing batch rolls back alone.
final class GroupCommitTests: XCTestCase {
    private var harness: MeteringHarness!

    override func setUp() async throws { harness = try await MeteringHarness.make() }
    override func tearDown() async throws { await harness.close() }

    /// Holds the writer inside a transaction until `count` more jobs are queued behind it, so
    /// those jobs are certain to share the next transaction; returns once the hold began.
    private func holdWriter(until count: Int, _ commits: GroupCommitter) async throws -> Task<Void, any Error> {
        let started = commits.transactionCount
        let holder = Task {
            try await commits.write { _ in
                let deadline = Date().addingTimeInterval(20)
                while commits.pendingCount < count, Date() < deadline { usleep(1000) }
            }
        }
        let deadline = Date().addingTimeInterval(20)
        while commits.transactionCount == started, Date() < deadline { try await Task.sleep(for: .milliseconds(1)) }
        return holder
    }

    private func waitUntilPending(_ count: Int, _ commits: GroupCommitter) async throws {
        let deadline = Date().addingTimeInterval(20)
        while commits.pendingCount < count, Date() < deadline { try await Task.sleep(for: .milliseconds(1)) }
    }

    func testConcurrentStreamsShareOneTransactionAndEveryAcknowledgedBatchIsOnDisk() async throws {
        var meters: [String] = []
        for _ in 0..<6 { meters.append(try await harness.createMeterPoint()) }
        let commits = harness.operations.commits
        let before = commits.transactionCount
        let holder = try await holdWriter(until: meters.count, commits)
        let harness = harness!
        let summaries = try await withThrowingTaskGroup(of: IngestSummary.self) { group in
            for meter in meters {
                group.addTask {
                    let rows = (0..<96).map { Fixtures.reading(meter, Fixtures.february + Int64($0) * Fixtures.interval, 7 + Int64($0)) }
                    return try await harness.ingest([rows])
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        try await holder.value
        XCTAssertEqual(summaries.map(\.acceptedCount), Array(repeating: 96, count: meters.count))
        XCTAssertEqual(commits.transactionCount - before, 2, "the holder's transaction, then one for all six batches")

        // Acknowledged means committed: a fresh store on the same file sees every row.
        let path = harness.store.path
        await harness.store.close()
        let reopened = try await SQLiteStore.open(path: path, schema: MeteringSchema.schema)
        let count = try await reopened.read { db in try db.scalar("SELECT COUNT(*) FROM readings", as: Int64.self) }
        await reopened.close()
        XCTAssertEqual(count, Int64(96 * meters.count))
    }

    func testAFailingBatchRollsBackAloneAndTheOthersInItsTransactionCommit() async throws {
        let commits = harness.operations.commits
        let holder = try await holdWriter(until: 3, commits)
        func insert(_ start: Int64, thenFail: Bool) -> Task<Void, any Error> {
            Task {
                try await commits.write { tx in
                    try tx.execute(
                        "INSERT INTO readings (meter_seq, kind, start_s, channel, milli, quality, record_ms) VALUES (1, 1, ?, 1, 5, 1, 0)",
                        start)
                    if thenFail { try tx.execute("INSERT INTO no_such_table VALUES (1)") }
                }
            }
        }
        let good = insert(0, thenFail: false)
        try await waitUntilPending(1, commits)
        let bad = insert(900, thenFail: true)
        try await waitUntilPending(2, commits)
        let alsoGood = insert(1800, thenFail: false)
        try await holder.value
        try await good.value
        try await alsoGood.value
        do {
            try await bad.value
            XCTFail("the failing batch must report its error")
        } catch let error as StoreError {
            XCTAssertTrue(error.description.contains("no_such_table"), "\(error)")
        }
        let starts = try await harness.store.read { db in
            try db.query("SELECT start_s FROM readings ORDER BY start_s").map { try $0.get(0, as: Int64.self) }
        }
        XCTAssertEqual(starts, [0, 1800], "the failed batch's own insert is rolled back, its neighbours' are kept")
    }

    func testARejectedRowBesideAGoodBatchInTheSameTransaction() async throws {
        let first = try await harness.createMeterPoint()
        let second = try await harness.createMeterPoint()
        let commits = harness.operations.commits
        let holder = try await holdWriter(until: 2, commits)
        let day = { @Sendable (meter: String) in (0..<96).map { Fixtures.reading(meter, Fixtures.february + Int64($0) * Fixtures.interval, 10) } }
        var withReject = day(first)
        withReject[17] = Fixtures.reading(first, Fixtures.february + 17 * Fixtures.interval, -4)
        let harness = harness!
        let rejecting = Task { [withReject] in try await harness.ingest([withReject]) }
        let clean = Task { try await harness.ingest([day(second)]) }
        try await holder.value
        let (a, b) = (try await rejecting.value, try await clean.value)
        XCTAssertEqual([a.acceptedCount, a.rejectedCount, b.acceptedCount, b.rejectedCount], [95, 1, 96, 0])
        XCTAssertEqual(a.rejections.map { [$0.batchIndex, $0.rowIndex] }, [[0, 17]])
        XCTAssertEqual(a.rejections.first?.reason, .negativeValue)
        try await XCTAssertEqualAsync(await harness.readingCount(), 191)
    }
}
