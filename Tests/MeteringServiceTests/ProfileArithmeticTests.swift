import MeteringAPI
@testable import MeteringDomain
import ProtoRuntime
import QuantumTypes
import XCTest

/// GetConsumptionProfile against a fixture computed by hand: two hourly buckets of a 15-minute
/// meter, with an estimated reading, an INVALID one, a gap, and one export reading.
///
///         00:00   00:15   00:30      00:45   | 01:00   01:15      01:30   01:45
///   DEL   1250    2500    750 (EST)  —       | 1000    1000 (INV) 3001    999
///   REC   —       300     —          —       | —       —          —       —
final class ProfileArithmeticTests: XCTestCase {
    private var harness: MeteringHarness!
    private var meter = ""
    private let t0 = Fixtures.february

    override func setUp() async throws {
        harness = try await MeteringHarness.make()
        meter = try await harness.createMeterPoint()
        let q = Fixtures.interval
        let summary = try await harness.ingest([[
            Fixtures.reading(meter, t0, 1250),
            Fixtures.reading(meter, t0 + q, 2500),
            Fixtures.reading(meter, t0 + 2 * q, 750, quality: .estimated),
            Fixtures.reading(meter, t0 + q, 300, channel: .received),
            Fixtures.reading(meter, t0 + 4 * q, 1000),
            Fixtures.reading(meter, t0 + 5 * q, 1000, quality: .invalid),
            Fixtures.reading(meter, t0 + 6 * q, 3001),
            Fixtures.reading(meter, t0 + 7 * q, 999),
        ]])
        XCTAssertEqual(summary.acceptedCount, 8)
    }

    override func tearDown() async throws { await harness.close() }

    private func profile(fill: Bool) async throws -> ConsumptionProfile {
        let response = try await harness.operations.getConsumptionProfile(
            .with {
                $0.subject = .meterPointID(meter)
                $0.timeRange = Fixtures.range(t0, t0 + 7200)
                $0.bucketSize = .hour
                $0.fillGaps = fill
            })
        return try XCTUnwrap(response.profile)
    }

    func testHourBucketsAreExactSums() async throws {
        let profile = try await profile(fill: false)
        XCTAssertEqual(profile.buckets.count, 2)
        let first = profile.buckets[0], second = profile.buckets[1]
        // Hour 0: 1250 + 2500 + 750 delivered; 300 received; 8 expected (both channels report).
        XCTAssertEqual(first.delivered?.milliValue, 4500)
        XCTAssertEqual(first.received?.milliValue, 300)
        XCTAssertEqual(first.net?.milliValue, 4200)
        XCTAssertEqual(first.peakIntervalValue?.milliValue, 2500)
        XCTAssertEqual(first.peakIntervalStart?.seconds, t0 + 900)
        XCTAssertEqual(first.intervalCount, 4)
        XCTAssertEqual(first.missingIntervalCount, 4)
        XCTAssertEqual(first.estimatedIntervalCount, 1)
        // Hour 1: the INVALID 01:15 is missing: 1000 + 3001 + 999.
        XCTAssertEqual(second.delivered?.milliValue, 5000)
        XCTAssertEqual(second.received?.milliValue, 0)
        XCTAssertEqual(second.net?.milliValue, 5000)
        XCTAssertEqual(second.peakIntervalValue?.milliValue, 3001)
        XCTAssertEqual(second.peakIntervalStart?.seconds, t0 + 5400)
        XCTAssertEqual(second.intervalCount, 3)
        XCTAssertEqual(second.missingIntervalCount, 5)
        XCTAssertEqual(second.estimatedIntervalCount, 0)
        XCTAssertEqual(profile.totalDelivered?.milliValue, 9500)
        XCTAssertEqual(profile.totalReceived?.milliValue, 300)
        XCTAssertEqual(profile.totalNet?.milliValue, 9200)
        XCTAssertEqual(profile.unit, .kwh)
        XCTAssertFalse(profile.gapsFilled)
    }

    func testGapFillingInterpolatesAndCountsEstimates() async throws {
        let profile = try await profile(fill: true)
        // 00:45 between 750 and 1000 → 875; 01:15 between 1000 and 3001 → 2000.5 → 2000 (half-even).
        XCTAssertEqual(profile.buckets[0].delivered?.milliValue, 4500 + 875)
        XCTAssertEqual(profile.buckets[0].intervalCount, 5)
        XCTAssertEqual(profile.buckets[0].missingIntervalCount, 3)
        XCTAssertEqual(profile.buckets[0].estimatedIntervalCount, 2)
        XCTAssertEqual(profile.buckets[1].delivered?.milliValue, 5000 + 2000)
        XCTAssertEqual(profile.buckets[1].intervalCount, 4)
        XCTAssertEqual(profile.buckets[1].missingIntervalCount, 4)
        XCTAssertEqual(profile.buckets[1].estimatedIntervalCount, 1)
        XCTAssertEqual(profile.totalNet?.milliValue, 12_375 - 300)
        XCTAssertTrue(profile.gapsFilled)
    }

    func testDayBucketsFollowTheLocalCalendarAndAlignOutward() async throws {
        // New York midnight is 05:00Z: the range 00:00Z–02:00Z lies in the local day before.
        let response = try await harness.operations.getConsumptionProfile(
            .with {
                $0.subject = .meterPointID(meter)
                $0.timeRange = Fixtures.range(t0, t0 + 7200)
                $0.bucketSize = .day
                $0.timeZone = "America/New_York"
            })
        let profile = try XCTUnwrap(response.profile)
        XCTAssertEqual(profile.buckets.count, 1)
        XCTAssertEqual(profile.buckets[0].startTime?.seconds, t0 - 86_400 + 5 * 3600)
        XCTAssertEqual(profile.buckets[0].endTime?.seconds, t0 + 5 * 3600)
        XCTAssertEqual(profile.buckets[0].delivered?.milliValue, 9500)
        XCTAssertEqual(profile.timeZone, "America/New_York")
    }

    func testPremiseProfileAddsItsRevenueMeterPoints() async throws {
        let second = try await harness.createMeterPoint()
        _ = try await harness.createMeterPoint(purpose: .generation)
        _ = try await harness.ingest([[Fixtures.reading(second, t0, 5)]])
        let response = try await harness.operations.getConsumptionProfile(
            .with {
                $0.subject = .premiseID(Fixtures.premiseID)
                $0.timeRange = Fixtures.range(t0, t0 + 3600)
                $0.bucketSize = .hour
            })
        let profile = try XCTUnwrap(response.profile)
        XCTAssertEqual(Set(profile.meterPointIDs), [meter, second])
        XCTAssertEqual(profile.buckets[0].delivered?.milliValue, 4505)
    }

    func testHalfEvenDivision() {
        XCTAssertEqual(FixedPoint.divideHalfEven(5, 2), 2)
        XCTAssertEqual(FixedPoint.divideHalfEven(7, 2), 4)
        XCTAssertEqual(FixedPoint.divideHalfEven(-5, 2), -2)
        XCTAssertEqual(FixedPoint.divideHalfEven(4250, 1000), 4)
        XCTAssertEqual(FixedPoint.divideHalfEven(4501, 1000), 5)
    }
}
