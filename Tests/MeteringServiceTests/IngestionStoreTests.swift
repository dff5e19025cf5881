@testable import MeteringDomain
import MeteringAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit
import XCTest

/// IngestReadings through the domain and the real SQLite store: idempotency, per-row rejects.
final class IngestionStoreTests: XCTestCase {
    private var harness: MeteringHarness!
    private var meter = ""
    private let t0 = Fixtures.february

    override func setUp() async throws {
        harness = try await MeteringHarness.make()
        meter = try await harness.createMeterPoint()
    }

    override func tearDown() async throws { await harness.close() }

    private func day(_ meter: String, from start: Int64) -> [MeterReading] {
        (0..<96).map { Fixtures.reading(meter, start + Int64($0) * Fixtures.interval, Int64(100 + $0)) }
    }

    private func storedRows() async throws -> [Row] {
        try await harness.store.read { db in try db.query("SELECT * FROM readings ORDER BY start_s, channel") }
    }

    func testTheSameBatchTwiceChangesNothing() async throws {
        let batch = day(meter, from: t0)
        let first = try await harness.ingest([batch])
        XCTAssertEqual(first.acceptedCount, 96)
        let before = try await storedRows()
        let second = try await harness.ingest([batch])
        XCTAssertEqual(second.acceptedCount, 0)
        XCTAssertEqual(second.duplicateCount, 96)
        XCTAssertEqual(second.rejectedCount, 0)
        let after = try await storedRows()
        XCTAssertEqual(before.map(\.values), after.map(\.values), "a replay must not rewrite any column, record time included")
    }

    func testAChangedValueReplacesTheStoredOne() async throws {
        _ = try await harness.ingest([[Fixtures.reading(meter, t0, 100)]])
        let summary = try await harness.ingest([[Fixtures.reading(meter, t0, 150, quality: .estimated)]])
        XCTAssertEqual(summary.acceptedCount, 1)
        let rows = try await storedRows()
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(try rows[0]["milli"] as Int64, 150)
        XCTAssertEqual(try rows[0]["quality"] as Int64, Int64(ReadingQuality.estimated.rawValue))
    }

    func testRowsAreRejectedOneByOneWithBatchAndRowIndex() async throws {
        let future = MeteringHarness.now + 3600
        let wrongUnit = modified(Fixtures.reading(meter, t0 + 900, 5)) { $0.value?.unit = .wh }
        let summary = try await harness.ingest([
            [Fixtures.reading(meter, t0, 10), Fixtures.reading(Fixtures.missingID("MTR"), t0, 10)],
            [
                Fixtures.reading(meter, t0 + 60, 10),
                Fixtures.reading(meter, t0 + 1800, -1),
                Fixtures.reading(meter, future, 10),
                wrongUnit,
                Fixtures.reading(meter, t0, 11),
                Fixtures.reading(meter, t0, 10),
            ],
        ])
        XCTAssertEqual(summary.batchCount, 2)
        XCTAssertEqual(summary.receivedCount, 8)
        XCTAssertEqual(summary.acceptedCount, 1)
        XCTAssertEqual(summary.duplicateCount, 1, "the identical repeat of row 0 is a duplicate")
        XCTAssertEqual(summary.rejectedCount, 6)
        let rejected = summary.rejections.map { [$0.batchIndex, $0.rowIndex, $0.reason.rawValue] }
        XCTAssertEqual(rejected, [
            [0, 1, RejectionReason.unknownReference.rawValue],
            [1, 0, RejectionReason.misalignedInterval.rawValue],
            [1, 1, RejectionReason.negativeValue.rawValue],
            [1, 2, RejectionReason.futureTimestamp.rawValue],
            [1, 3, RejectionReason.unitMismatch.rawValue],
            [1, 4, RejectionReason.conflictingDuplicate.rawValue],
        ])
        XCTAssertTrue(summary.rejections[0].message.contains(Fixtures.missingID("MTR")))
        XCTAssertEqual(summary.rejections[1].field, "interval_start")
        try await XCTAssertEqualAsync(await harness.readingCount(), 1)
    }

    func testDailyReadsMustStartAtLocalMidnight() async throws {
        let chicago = try await harness.createMeterPoint(timeZone: "America/Chicago")
        let localMidnight = t0 + 6 * 3600  // 00:00 CST = 06:00Z
        let summary = try await harness.ingest([[
            Fixtures.reading(chicago, localMidnight, 24_000, kind: .daily),
            Fixtures.reading(chicago, t0, 24_000, kind: .daily),
        ]])
        XCTAssertEqual(summary.acceptedCount, 1)
        XCTAssertEqual(summary.rejections.map(\.reason), [.misalignedInterval])
    }

    func testPlannedAndRemovedMeterPointsRefuseReadings() async throws {
        _ = try await harness.operations.changeMeterPointStatus(
            .with {
                $0.meterPointID = meter
                $0.status = .removed
                $0.effectiveTime = Timestamp(seconds: t0 + 3600)
            })
        let summary = try await harness.ingest([[Fixtures.reading(meter, t0, 1), Fixtures.reading(meter, t0 + 3600, 1)]])
        XCTAssertEqual(summary.acceptedCount, 1)
        XCTAssertEqual(summary.rejections.map(\.rowIndex), [1])
        await assertStatus(.failedPrecondition, "terminal") {
            try await self.harness.operations.changeMeterPointStatus(.with { $0.meterPointID = self.meter; $0.status = .active })
        }
    }

    func testAStreamQueuedAheadCountsInOrderAndSeesItsOwnEarlierBatches() async throws {
        let first = day(meter, from: t0)
        var replay = first
        replay.append(Fixtures.reading(meter, t0 + 900, 999))  // the same key as row 1, another value
        let batches = [first, replay, day(meter, from: t0 + Fixtures.day)]
        let requests = AsyncStream<IngestReadingsRequest> { continuation in
            for batch in batches { continuation.yield(.with { $0.readings = batch }) }
            continuation.finish()
        }
        let ingestion = harness.operations.readingIngestion()
        try await ingestion.ingest(all: requests)
        let summary = try XCTUnwrap(ingestion.response.summary)
        XCTAssertEqual([summary.batchCount, Int32(summary.receivedCount)], [3, 96 + 97 + 96])
        XCTAssertEqual([summary.acceptedCount, summary.duplicateCount, summary.rejectedCount], [192, 96, 1])
        XCTAssertEqual(summary.rejections.map { [$0.batchIndex, $0.rowIndex] }, [[1, 96]])
        XCTAssertEqual(summary.rejections.first?.reason, .conflictingDuplicate)
        try await XCTAssertEqualAsync(await harness.readingCount(), 192)
    }

    func testSparseRowsAreCheckedAgainstTheStoreOneByOne() async throws {
        // One read a week for a year: too spread out for one range read of the series.
        let sparse = (0..<52).map { Fixtures.reading(meter, t0 - Int64($0) * 7 * Fixtures.day, 40) }
        let first = try await harness.ingest([sparse])
        XCTAssertEqual(first.acceptedCount, 52)
        var changed = sparse
        changed[30] = Fixtures.reading(meter, t0 - 30 * 7 * Fixtures.day, 41)
        let again = try await harness.ingest([changed])
        XCTAssertEqual([again.acceptedCount, again.duplicateCount, again.rejectedCount], [1, 51, 0])
        let changedStart = t0 - 30 * 7 * Fixtures.day
        let stored = try await harness.store.read { db in
            try db.scalar("SELECT milli FROM readings WHERE start_s = ?", changedStart, as: Int64.self)
        }
        XCTAssertEqual(stored, 41)
    }

    func testRejectionListIsCappedButCountsStayExact() async throws {
        let rows = (0..<1500).map { Fixtures.reading(meter, t0 + Int64($0) * 900 + 1, 1) }
        let summary = try await harness.ingest([rows])
        XCTAssertEqual(summary.rejectedCount, 1500)
        XCTAssertEqual(summary.rejections.count, 1000)
        XCTAssertTrue(summary.rejectionsTruncated)
    }
}

/// `XCTAssertEqual` for an awaited value (XCTest's autoclosures cannot `await`).
func XCTAssertEqualAsync<T: Equatable>(
    _ value: @autoclosure () async throws -> T, _ expected: T, file: StaticString = #filePath, line: UInt = #line
) async throws {
    let actual = try await value()
    XCTAssertEqual(actual, expected, file: file, line: line)
}
