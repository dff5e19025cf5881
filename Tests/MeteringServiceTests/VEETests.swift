@testable import MeteringDomain
import MeteringAPI
import ProtoRuntime
import QuantumTypes
import XCTest

/// Validation, estimation and editing on crafted series.
final class VEETests: XCTestCase {
    private var harness: MeteringHarness!
    private var meter = ""
    private let t0 = Fixtures.february
    private let q = Fixtures.interval

    override func setUp() async throws {
        harness = try await MeteringHarness.make()
        meter = try await harness.createMeterPoint()
    }

    override func tearDown() async throws { await harness.close() }

    func testSlidingMedian() {
        var window = SlidingMedian()
        for value in [5, 1, 4, 2] as [Int64] { window.insert(value) }
        XCTAssertEqual(window.median, 3)  // (2 + 4) / 2
        window.insert(9)
        XCTAssertEqual(window.median, 4)
        window.remove(1)
        window.remove(9)
        XCTAssertEqual(window.median, 4)  // (4 + 5) / 2 = 4.5 → 4 (half-even)
    }

    func testSpikeAboveTheMultipleOfTheRecentMedianIsFlagged() {
        // Eight readings of 1000 the day before, then 2999 (under 3×), 3001 (over), and an INVALID 9999.
        var series = (0..<8).map { StoredReading(startSeconds: t0 - 86_400 + Int64($0) * q, channel: .delivered, milli: 1000, quality: .actual) }
        series.append(StoredReading(startSeconds: t0, channel: .delivered, milli: 2999, quality: .actual))
        series.append(StoredReading(startSeconds: t0 + q, channel: .delivered, milli: 9999, quality: .invalid))
        series.append(StoredReading(startSeconds: t0 + 2 * q, channel: .delivered, milli: 3001, quality: .actual))
        let spikes = SpikeDetector.spikes(
            series, range: SecondsRange(start: t0, end: t0 + 86_400), windowSeconds: 7 * 86_400, thresholdMilli: 3000)
        // The window for 3001 holds eight 1000s and the 2999: median 1000.
        XCTAssertEqual(spikes, [SpikeDetector.Spike(startSeconds: t0 + 2 * q, milli: 3001, medianMilli: 1000, ratioMilli: 3001)])
    }

    func testGapsAreRunsOfIntervalsWithoutAReading() {
        let series = [0, 1, 4, 5, 7].map { StoredReading(startSeconds: t0 + Int64($0) * q, channel: .delivered, milli: 1, quality: $0 == 5 ? .invalid : .actual) }
        let report = GapDetector.report(series, intervalSeconds: q, expected: SecondsRange(start: t0, end: t0 + 10 * q))
        XCTAssertEqual(report.gaps.map(\.start), [t0 + 2 * q, t0 + 6 * q, t0 + 8 * q])
        XCTAssertEqual(report.gaps.map(\.count), [2, 1, 2])
        XCTAssertEqual(report.expected, 10)
        XCTAssertEqual(report.present, 5)
        XCTAssertEqual(report.invalid, 1)
    }

    func testValidateReadingsReportsSpikesAndGapsOverTheStore() async throws {
        var rows = (0..<8).map { Fixtures.reading(meter, t0 - 86_400 + Int64($0) * q, 1000) }
        rows += [Fixtures.reading(meter, t0, 1000), Fixtures.reading(meter, t0 + q, 4250), Fixtures.reading(meter, t0 + 3 * q, 1000)]
        _ = try await harness.ingest([rows])
        let response = try await harness.operations.validateReadings(
            .with {
                $0.meterPointID = meter
                $0.timeRange = Fixtures.range(t0, t0 + 4 * q)
            })
        XCTAssertEqual(response.spikeThresholdMilli, 3000)
        XCTAssertEqual(response.spikes.map(\.ratioMilli), [4250])
        XCTAssertEqual(response.spikes.first?.recentMedian?.milliValue, 1000)
        XCTAssertEqual(response.gaps.map { $0.startTime?.seconds }, [t0 + 2 * q])
        XCTAssertEqual(response.expectedIntervalCount, 4)
        XCTAssertEqual(response.presentIntervalCount, 3)
        let stricter = try await harness.operations.validateReadings(
            .with {
                $0.meterPointID = meter
                $0.timeRange = Fixtures.range(t0, t0 + 4 * q)
                $0.spikeThresholdMilli = 5000
            })
        XCTAssertTrue(stricter.spikes.isEmpty)
    }

    func testEditsKeepTheOriginalAndLockTheRowAgainstIngestion() async throws {
        _ = try await harness.ingest([[Fixtures.reading(meter, t0, 4250, quality: .estimated)]])
        let edit = { (milli: Int64, reason: String) in
            try await self.harness.operations.editReading(
                .with {
                    $0.meterPointID = self.meter
                    $0.intervalStart = Timestamp(seconds: self.t0)
                    $0.kind = .interval
                    $0.channel = .delivered
                    $0.value = .with { $0.milliValue = milli }
                    $0.reason = reason
                }, editor: "tester")
        }
        _ = try await edit(1000, "meter swap")
        let secondEdit = try await edit(1100, "recheck")
        let second = try XCTUnwrap(secondEdit.reading)
        XCTAssertEqual(second.quality, .edited)
        XCTAssertEqual(second.value?.milliValue, 1100)
        XCTAssertEqual(second.originalValue?.milliValue, 4250, "the value before the first edit is kept")
        XCTAssertEqual(second.originalQuality, .estimated)
        XCTAssertEqual(second.editReason, "recheck")
        XCTAssertEqual(second.editor, "tester")
        let replay = try await harness.ingest([[Fixtures.reading(meter, t0, 4250)]])
        XCTAssertEqual(replay.rejections.map(\.reason), [.editedLocked])

        let fill = try await harness.operations.editReading(
            .with {
                $0.meterPointID = meter
                $0.intervalStart = Timestamp(seconds: t0 + q)
                $0.kind = .interval
                $0.channel = .delivered
                $0.value = .with { $0.milliValue = 7 }
                $0.reason = "gap fill"
            }, editor: "tester")
        let filled = try XCTUnwrap(fill.reading)
        XCTAssertNil(filled.originalValue, "an edit that fills a gap has no original")
        await assertStatus(.invalidArgument, "reason") {
            try await edit(1, " ")
        }
    }

    func testMarkInvalidExcludesTheReadingFromProfiles() async throws {
        _ = try await harness.ingest([[Fixtures.reading(meter, t0, 500), Fixtures.reading(meter, t0 + q, 700)]])
        let marked = try await harness.operations.editReading(
            .with {
                $0.meterPointID = meter
                $0.intervalStart = Timestamp(seconds: t0)
                $0.kind = .interval
                $0.channel = .delivered
                $0.markInvalid = true
                $0.reason = "tamper"
            }, editor: "tester")
        XCTAssertEqual(marked.reading?.quality, .invalid)
        XCTAssertEqual(marked.reading?.originalQuality, .actual)
        let profile = try await harness.operations.getConsumptionProfile(
            .with {
                $0.subject = .meterPointID(meter)
                $0.timeRange = Fixtures.range(t0, t0 + 3600)
                $0.bucketSize = .hour
            })
        XCTAssertEqual(profile.profile?.totalDelivered?.milliValue, 700)
    }
}
