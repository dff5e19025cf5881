import OutageAPI
import OutageDomain
import XCTest

/// IEEE 1366 indices against a hand-computed example. The proto carries every index × 10^6
/// (SAIDI and CAIDI in minutes × 10^6), so the expected values below are micro-units.
final class ReliabilityIndicesTests: XCTestCase {
    private static let minute: Int64 = 60_000  // milliseconds
    private static let fiveMinutes = 5 * minute  // IEEE 1366 momentary threshold

    func testHandComputedExample() {
        // NT = 1,000 customers served.
        // Sustained:  A = 100 customers × 60 min,  B = 50 customers × 120 min.
        // Momentary:  C = 200 customers × 2 min (2 min < 5 min threshold → momentary).
        let interruptions: [ReliabilityCalculator.Interruption] = [
            .init(customers: 100, durationMilliseconds: 60 * Self.minute),
            .init(customers: 50, durationMilliseconds: 120 * Self.minute),
            .init(customers: 200, durationMilliseconds: 2 * Self.minute),
        ]
        let result = ReliabilityCalculator.indices(interruptions, customersServed: 1_000, momentaryThresholdMilliseconds: Self.fiveMinutes)

        // Σ Ni = 100 + 50 = 150 customers interrupted (sustained only).
        XCTAssertEqual(result.customersInterrupted, 150)
        XCTAssertEqual(result.sustainedEventCount, 2)
        // Σ ri·Ni = 100 × 60 + 50 × 120 = 6,000 + 6,000 = 12,000 customer-minutes
        //         = 12,000 × 60 = 720,000 customer-seconds.
        XCTAssertEqual(result.customerInterruptionSeconds, 720_000)
        // Σ Nmi = 200 (one momentary event).
        XCTAssertEqual(result.momentaryEventCount, 1)
        XCTAssertEqual(result.customerMomentaryInterruptions, 200)
        XCTAssertEqual(result.customersServed, 1_000)

        // SAIFI = Σ Ni ÷ NT = 150 ÷ 1,000 = 0.15 → 150,000 micro.
        XCTAssertEqual(result.saifiMicro, 150_000)
        // SAIDI = Σ ri·Ni ÷ NT = 12,000 ÷ 1,000 = 12 min → 12,000,000 micro-minutes.
        XCTAssertEqual(result.saidiMinutesMicro, 12_000_000)
        // CAIDI = Σ ri·Ni ÷ Σ Ni = 12,000 ÷ 150 = 80 min (= SAIDI ÷ SAIFI = 12 ÷ 0.15) → 80,000,000.
        XCTAssertEqual(result.caidiMinutesMicro, 80_000_000)
        // MAIFI = Σ Nmi ÷ NT = 200 ÷ 1,000 = 0.2 → 200,000 micro.
        XCTAssertEqual(result.maifiMicro, 200_000)
    }

    func testThresholdBoundaryAndRounding() {
        // Exactly 5 min is NOT momentary ("under 5 minutes"): 1 customer × 5 min is sustained.
        // 4:59.999 is momentary.
        let interruptions: [ReliabilityCalculator.Interruption] = [
            .init(customers: 1, durationMilliseconds: Self.fiveMinutes),
            .init(customers: 1, durationMilliseconds: Self.fiveMinutes - 1),
        ]
        let result = ReliabilityCalculator.indices(interruptions, customersServed: 3, momentaryThresholdMilliseconds: Self.fiveMinutes)
        XCTAssertEqual(result.sustainedEventCount, 1)
        XCTAssertEqual(result.momentaryEventCount, 1)
        // SAIFI = 1 ÷ 3 = 0.333333… → 333,333 micro (rounded half-even, remainder 1/3 rounds down).
        XCTAssertEqual(result.saifiMicro, 333_333)
        // SAIDI = 1 × 5 min ÷ 3 = 1.666666… min → 1,666,667 micro-minutes (remainder 2/3 rounds up).
        XCTAssertEqual(result.saidiMinutesMicro, 1_666_667)
        // CAIDI = 5 min ÷ 1 = 5 min → 5,000,000.
        XCTAssertEqual(result.caidiMinutesMicro, 5_000_000)
        // MAIFI = 1 ÷ 3 → 333,333.
        XCTAssertEqual(result.maifiMicro, 333_333)
    }

    func testNoCustomersServedGivesZeroNotACrash() {
        let result = ReliabilityCalculator.indices(
            [.init(customers: 10, durationMilliseconds: 60 * Self.minute)], customersServed: 0, momentaryThresholdMilliseconds: Self.fiveMinutes)
        XCTAssertEqual(result.saifiMicro, 0)
        XCTAssertEqual(result.saidiMinutesMicro, 0)
        XCTAssertEqual(result.caidiMinutesMicro, 60_000_000)  // Σ ri·Ni ÷ Σ Ni = 600 ÷ 10 = 60 min
    }
}
