import Foundation
import OutageAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceTestSupport
import XCTest

/// GetReliabilityIndices end to end: outages reported, confirmed and restored over a real
/// loopback socket with known durations, then the indices compared with the hand computation
/// below (the pure arithmetic is covered by ReliabilityIndicesTests).
final class ReliabilityIndicesOverSocketsTests: XCTestCase {
    private var service: LoopbackService!
    private var client: OutageServiceClient { OutageServiceClient(channel: service.channel) }

    override func setUp() async throws { service = try await .outage() }
    override func tearDown() async throws { await service.stop() }

    private static let day: Int64 = 86_400

    /// Reports an outage starting `start` seconds into the period; confirms it when asked;
    /// restores it after `milliseconds` unless nil (left open).
    private func outage(start: Int64, customers: Int64, milliseconds: Int64?, confirm: Bool = true, commodity: Commodity = .electric) async throws {
        let client = self.client
        let begin = OutageFixtures.t0 + start
        let id = try await client.reportOutage(.with { $0.outage = OutageFixtures.outage(start: begin, customers: customers, commodity: commodity) }).outage!.outageID
        if confirm { _ = try await client.confirmOutage(.with { $0.outageID = id; $0.cause = .equipmentFailure }) }
        guard let milliseconds else { return }
        let end = Timestamp(seconds: begin + milliseconds / 1000, nanos: Int32(milliseconds % 1000) * 1_000_000)
        let restored = try await client.restoreOutage(.with { $0.outageID = id; $0.endTime = end }).outage!
        XCTAssertEqual(restored.status, .restored)
    }

    private func indices(served: Int64, threshold: ProtoDuration? = nil) async throws -> ReliabilityIndices {
        try await client.getReliabilityIndices(.with {
            $0.period = .with { $0.startTime = Timestamp(seconds: OutageFixtures.t0); $0.endTime = Timestamp(seconds: OutageFixtures.t0 + Self.day) }
            $0.customersServed = served
            $0.momentaryThreshold = threshold
        }).indices!
    }

    /// The period is the day [t0, t0 + 1 day). Outages (customers, duration):
    ///   A  100 × 60 min    at t0 (the inclusive start)       sustained
    ///   B   50 × 120 min                                      sustained
    ///   C  200 × 2 min     reported, never confirmed          momentary
    ///   D   30 × 5 min     exactly the threshold              sustained
    ///   E   10 × 4 min 59.999 s                               momentary
    ///   F   40             still open                         counted as open only
    ///   G   70 × 30 min    started the day before             not in the period
    ///   H   80 × 30 min    starts at t0 + 1 day (exclusive)   not in the period
    ///   I   90 × 30 min    gas                                not electric
    ///
    /// Sustained: Σ Ni = 100 + 50 + 30 = 180;
    ///            Σ ri Ni = 100 × 3,600 + 50 × 7,200 + 30 × 300 = 360,000 + 360,000 + 9,000 = 729,000 s.
    /// Momentary: Σ Nmi = 200 + 10 = 210.
    /// NT = 1,000:  SAIFI = 180 ÷ 1,000 = 0.18                    → 180,000 micro
    ///              SAIDI = 729,000 s ÷ 60 ÷ 1,000 = 12.15 min     → 12,150,000
    ///              CAIDI = 729,000 ÷ 60 ÷ 180 = 67.5 min          → 67,500,000
    ///              MAIFI = 210 ÷ 1,000 = 0.21                     → 210,000
    /// NT = 7,000:  SAIFI = 180 ÷ 7,000 = 0.0257142857…            → 25,714 (rounded down)
    ///              SAIDI = 12,150 ÷ 7,000 = 1.7357142857… min     → 1,735,714
    ///              CAIDI unchanged 67,500,000; MAIFI = 0.03       → 30,000
    /// Threshold 10 min (D and E become momentary with C):
    ///   Σ Ni = 150, Σ ri Ni = 720,000 s, Σ Nmi = 240 → SAIFI 150,000, SAIDI 12,000,000,
    ///   CAIDI 720,000 ÷ 60 ÷ 150 = 80 min → 80,000,000, MAIFI 240,000.
    func testIndicesOfAKnownDayEqualTheHandComputation() async throws {
        try await outage(start: 0, customers: 100, milliseconds: 60 * 60_000)
        try await outage(start: 3_600, customers: 50, milliseconds: 120 * 60_000)
        try await outage(start: 7_200, customers: 200, milliseconds: 2 * 60_000, confirm: false)
        try await outage(start: 10_800, customers: 30, milliseconds: 5 * 60_000)
        try await outage(start: 14_400, customers: 10, milliseconds: 5 * 60_000 - 1)
        try await outage(start: 18_000, customers: 40, milliseconds: nil)
        try await outage(start: -Self.day, customers: 70, milliseconds: 30 * 60_000)
        try await outage(start: Self.day, customers: 80, milliseconds: 30 * 60_000)
        try await outage(start: 21_600, customers: 90, milliseconds: 30 * 60_000, commodity: .gas)

        let nt1000 = try await indices(served: 1_000)
        XCTAssertEqual(nt1000.commodity, .electric, "unset means ELECTRIC")
        XCTAssertEqual(nt1000.customersServed, 1_000)
        XCTAssertEqual(nt1000.momentaryThreshold, ProtoDuration(seconds: 300))
        XCTAssertEqual(nt1000.sustainedEventCount, 3)
        XCTAssertEqual(nt1000.customersInterrupted, 180)
        XCTAssertEqual(nt1000.customerInterruptionSeconds, 729_000)
        XCTAssertEqual(nt1000.momentaryEventCount, 2)
        XCTAssertEqual(nt1000.customerMomentaryInterruptions, 210)
        XCTAssertEqual(nt1000.openOutageCount, 1)
        XCTAssertEqual(nt1000.saifiMicro, 180_000)
        XCTAssertEqual(nt1000.saidiMinutesMicro, 12_150_000)
        XCTAssertEqual(nt1000.caidiMinutesMicro, 67_500_000)
        XCTAssertEqual(nt1000.maifiMicro, 210_000)

        let nt7000 = try await indices(served: 7_000)
        XCTAssertEqual([nt7000.saifiMicro, nt7000.saidiMinutesMicro, nt7000.caidiMinutesMicro, nt7000.maifiMicro],
                       [25_714, 1_735_714, 67_500_000, 30_000])

        let tenMinutes = try await indices(served: 1_000, threshold: ProtoDuration(seconds: 600))
        XCTAssertEqual(tenMinutes.momentaryThreshold, ProtoDuration(seconds: 600))
        XCTAssertEqual([tenMinutes.sustainedEventCount, tenMinutes.customersInterrupted, tenMinutes.customerInterruptionSeconds], [2, 150, 720_000])
        XCTAssertEqual([tenMinutes.momentaryEventCount, tenMinutes.customerMomentaryInterruptions], [3, 240])
        XCTAssertEqual([tenMinutes.saifiMicro, tenMinutes.saidiMinutesMicro, tenMinutes.caidiMinutesMicro, tenMinutes.maifiMicro],
                       [150_000, 12_000_000, 80_000_000, 240_000])

        // Gas: only I (90 × 30 min) → SAIFI 0.09, SAIDI 90 × 1,800 ÷ 60 ÷ 1,000 = 2.7 min, CAIDI 30 min.
        let gas = try await client.getReliabilityIndices(.with {
            $0.period = .with { $0.startTime = Timestamp(seconds: OutageFixtures.t0); $0.endTime = Timestamp(seconds: OutageFixtures.t0 + Self.day) }
            $0.customersServed = 1_000
            $0.commodity = .gas
        }).indices!
        XCTAssertEqual([gas.saifiMicro, gas.saidiMinutesMicro, gas.caidiMinutesMicro, gas.maifiMicro, gas.openOutageCount], [90_000, 2_700_000, 30_000_000, 0, 0])
    }

    func testBadRequestsNameTheField() async throws {
        let client = self.client
        let period = TimeRange.with { $0.startTime = Timestamp(seconds: OutageFixtures.t0); $0.endTime = Timestamp(seconds: OutageFixtures.t0 + Self.day) }
        await XCTAssertStatus(.invalidArgument, "period") {
            _ = try await client.getReliabilityIndices(.with { $0.customersServed = 1_000 })
        }
        await XCTAssertStatus(.invalidArgument, "period", "end_time") {
            _ = try await client.getReliabilityIndices(.with { $0.period = .with { $0.startTime = period.startTime }; $0.customersServed = 1_000 })
        }
        await XCTAssertStatus(.invalidArgument, "period.end_time") {
            _ = try await client.getReliabilityIndices(.with {
                $0.period = .with { $0.startTime = period.endTime; $0.endTime = period.startTime }; $0.customersServed = 1_000
            })
        }
        await XCTAssertStatus(.invalidArgument, "customers_served") {
            _ = try await client.getReliabilityIndices(.with { $0.period = period })
        }
        await XCTAssertStatus(.invalidArgument, "customers_served") {
            _ = try await client.getReliabilityIndices(.with { $0.period = period; $0.customersServed = -5 })
        }
        await XCTAssertStatus(.invalidArgument, "commodity") {
            _ = try await client.getReliabilityIndices(.with { $0.period = period; $0.customersServed = 1; $0.commodity = Commodity(rawValue: 99) })
        }
        await XCTAssertStatus(.invalidArgument, "momentary_threshold") {
            _ = try await client.getReliabilityIndices(.with { $0.period = period; $0.customersServed = 1; $0.momentaryThreshold = ProtoDuration(seconds: -1) })
        }
        // An empty period is not an error: nothing is counted and every index is 0.
        let none = try await client.getReliabilityIndices(.with { $0.period = period; $0.customersServed = 1 }).indices!
        XCTAssertEqual([none.saifiMicro, none.saidiMinutesMicro, none.caidiMinutesMicro, none.maifiMicro, none.openOutageCount], [0, 0, 0, 0, 0])
    }
}
