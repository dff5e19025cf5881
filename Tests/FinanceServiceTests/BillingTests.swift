import FinanceAPI
import FinanceDomain
import ProtoRuntime
import QuantumTypes
import RPCCore
import XCTest

/// Bills against hand-computed fixtures; the arithmetic is written next to each expectation.
/// Prices are in millionths of a cent per kWh, quantities in thousandths of a kWh.
final class BillingTests: XCTestCase {
    private func bill(_ tariff: Tariff, _ usage: [UsageInterval]) throws -> CalculateBillResponse {
        try BillCalculator.calculate(tariff: tariff, billingPeriod: Fixtures.march2025, usage: usage)
    }

    func testFlatRateBill() throws {
        // 12.3456 ¢/kWh; usage 100.5 + 200.25 = 300.75 kWh.
        let result = try bill(Fixtures.tariff(Fixtures.flat(12_345_600)), [
            Fixtures.usage(at: Fixtures.mondayMarch3, milli: 100_500),
            Fixtures.usage(at: Fixtures.mondayMarch3 + 3600, milli: 200_250),
        ])
        // energy: 300.75 × 12.3456 = 3712.9392 ¢ → 3713 ¢; fixed 1000 ¢; total 4713 ¢.
        XCTAssertEqual(result.lineItems.map(\.kind), [.fixedCharge, .energyFlat])
        XCTAssertEqual(result.lineItems.map { $0.amount?.minorUnits }, [1000, 3713])
        XCTAssertEqual(result.total, Fixtures.usd(4713))
        XCTAssertEqual(result.totalUsage, Fixtures.kwh(milli: 300_750))
    }

    func testTieredBillSplitsConsumptionAcrossBlocks() throws {
        // 650 kWh: 400 kWh in tier 1 at 25 ¢ = 10000 ¢; 250 kWh in tier 2 at 35 ¢ = 8750 ¢; + 1000 ¢ fixed = 19750 ¢.
        let result = try bill(Fixtures.tariff(Fixtures.twoTiers), [
            Fixtures.usage(at: Fixtures.mondayMarch3, hours: 24, milli: 300_000),
            Fixtures.usage(at: Fixtures.mondayMarch3 + 86_400, hours: 24, milli: 350_000),
        ])
        XCTAssertEqual(result.lineItems.map(\.kind), [.fixedCharge, .energyTier, .energyTier])
        XCTAssertEqual(result.lineItems.map { $0.quantity?.milliValue }, [nil, 400_000, 250_000])
        XCTAssertEqual(result.lineItems.map(\.tierIndex), [0, 0, 1])
        XCTAssertEqual(result.lineItems[1].label, "Tier 1 (0–400 kWh)")
        XCTAssertEqual(result.lineItems[2].label, "Tier 2 (400+ kWh)")
        XCTAssertEqual(result.total?.minorUnits, 19_750)

        // 150 kWh stays in tier 1: 150 × 25 = 3750 ¢ + 1000 ¢ = 4750 ¢, and no tier-2 line.
        let small = try bill(Fixtures.tariff(Fixtures.twoTiers), [Fixtures.usage(at: Fixtures.mondayMarch3, milli: 150_000)])
        XCTAssertEqual(small.lineItems.count, 2)
        XCTAssertEqual(small.total?.minorUnits, 4750)
    }

    func testTimeOfUseBillPricesByWeekdayAndHour() throws {
        let monday = Fixtures.mondayMarch3, saturday = Fixtures.mondayMarch3 + 5 * 86_400
        let result = try bill(Fixtures.tariff(Fixtures.peakAndOffPeak, fixed: nil), [
            Fixtures.usage(at: monday + 17 * 3600, milli: 2_000),  // Mon 17:00 on_peak
            Fixtures.usage(at: monday + 20 * 3600, milli: 1_500),  // Mon 20:00 on_peak
            Fixtures.usage(at: monday + 3 * 3600, milli: 4_000),  // Mon 03:00 off_peak
            Fixtures.usage(at: monday + 22 * 3600, milli: 1_000),  // Mon 22:00 off_peak_evening
            Fixtures.usage(at: saturday + 17 * 3600, milli: 10_000),  // Sat 17:00 weekend
        ])
        // on_peak 3.5 kWh × 40 ¢ = 140 ¢; off_peak 4 × 20 = 80 ¢; evening 1 × 20 = 20 ¢; weekend 10 × 15 = 150 ¢.
        XCTAssertEqual(result.lineItems.map(\.periodName), ["on_peak", "off_peak", "off_peak_evening", "weekend"])
        XCTAssertEqual(result.lineItems.map { $0.amount?.minorUnits }, [140, 80, 20, 150])
        XCTAssertEqual(result.total?.minorUnits, 390)
    }

    func testTimeOfUseHoursAreLocalToTheTariffsZone() throws {
        var tariff = Fixtures.tariff(Fixtures.peakAndOffPeak, fixed: nil)
        tariff.timeZone = "America/Los_Angeles"  // UTC−8 in early March (DST starts March 9)
        // Tue 2025-03-04 01:00 UTC is Mon 2025-03-03 17:00 in Los Angeles: on_peak, 1 kWh × 40 ¢ = 40 ¢.
        let result = try bill(tariff, [Fixtures.usage(at: Fixtures.mondayMarch3 + 25 * 3600, milli: 1_000)])
        XCTAssertEqual(result.lineItems.map(\.periodName), ["on_peak"])
        XCTAssertEqual(result.total?.minorUnits, 40)
    }

    func testFixedChargeIsChargedOnceNotPerInterval() throws {
        let usage = (0..<48).map { Fixtures.usage(at: Fixtures.mondayMarch3 + Int64($0) * 3600, milli: 1_000) }
        let result = try bill(Fixtures.tariff(Fixtures.flat(10_000_000), fixed: 995), usage)
        // 48 kWh × 10 ¢ = 480 ¢, plus one fixed line of 995 ¢.
        XCTAssertEqual(result.lineItems.filter { $0.kind == .fixedCharge }.count, 1)
        XCTAssertEqual(result.total?.minorUnits, 1475)
    }

    func testRoundingIsHalfEvenAtExactlyHalfACent() throws {
        // 1 kWh at 0.5 ¢ = 0.5 ¢ → 0 (even); 3 kWh at 0.5 ¢ = 1.5 ¢ → 2 (even); 5 × 0.5 = 2.5 → 2.
        XCTAssertEqual(BillCalculator.amount(milliValue: 1_000, microMinorPerUnit: 500_000), 0)
        XCTAssertEqual(BillCalculator.amount(milliValue: 3_000, microMinorPerUnit: 500_000), 2)
        XCTAssertEqual(BillCalculator.amount(milliValue: 5_000, microMinorPerUnit: 500_000), 2)
        // Just above and below half: 0.5000001 ¢ → 1; 0.4999999 ¢ → 0.
        XCTAssertEqual(BillCalculator.amount(milliValue: 1_000, microMinorPerUnit: 500_001), 1)
        XCTAssertEqual(BillCalculator.amount(milliValue: 1_000, microMinorPerUnit: 499_999), 0)
        // Credits round the same way: −2.5 → −2, −3.5 → −4.
        XCTAssertEqual(BillCalculator.amount(milliValue: 5_000, microMinorPerUnit: -500_000), -2)
        XCTAssertEqual(BillCalculator.amount(milliValue: 7_000, microMinorPerUnit: -500_000), -4)
        // A flat bill whose energy is exactly 12.5 ¢ rounds to 12 ¢: 1.25 kWh × 10 ¢.
        let result = try bill(Fixtures.tariff(Fixtures.flat(10_000_000), fixed: nil), [Fixtures.usage(at: Fixtures.mondayMarch3, milli: 1_250)])
        XCTAssertEqual(result.total?.minorUnits, 12)
    }

    func testLinesAreRoundedBeforeTheyAreSummed() throws {
        // Two TOU lines of 0.5 ¢ each: each rounds to 0 (half-even), so the total is 0, not round(1.0) = 1.
        let result = try bill(Fixtures.tariff(.timeOfUseRate(.with {
            let all: [DayOfWeek] = [.monday, .tuesday, .wednesday, .thursday, .friday, .saturday, .sunday]
            $0.periods = [Fixtures.period("night", all, 0, 12, 500_000), Fixtures.period("day", all, 12, 24, 500_000)]
        }), fixed: nil), [
            Fixtures.usage(at: Fixtures.mondayMarch3 + 3600, milli: 1_000),
            Fixtures.usage(at: Fixtures.mondayMarch3 + 13 * 3600, milli: 1_000),
        ])
        XCTAssertEqual(result.lineItems.map { $0.amount?.minorUnits }, [0, 0])
        XCTAssertEqual(result.total?.minorUnits, 0)
    }

    func testUsageMustLieInsideThePeriodAndNotOverlap() {
        let tariff = Fixtures.tariff(Fixtures.flat(10_000_000))
        let april = Fixtures.mondayMarch3 + 30 * 86_400
        XCTAssertThrowsError(try bill(tariff, [Fixtures.usage(at: april, milli: 1)])) { error in
            XCTAssertTrue((error as? RPCError)?.message.contains("outside the billing period") ?? false, "\(error)")
        }
        XCTAssertThrowsError(try bill(tariff, [
            Fixtures.usage(at: Fixtures.mondayMarch3, hours: 2, milli: 1), Fixtures.usage(at: Fixtures.mondayMarch3 + 3600, milli: 1),
        ])) { error in XCTAssertTrue((error as? RPCError)?.message.contains("overlaps") ?? false, "\(error)") }
        XCTAssertThrowsError(try bill(Fixtures.tariff(Fixtures.peakAndOffPeak), [
            Fixtures.usage(at: Fixtures.mondayMarch3 + 15 * 3600, hours: 2, milli: 1),
        ])) { error in XCTAssertTrue((error as? RPCError)?.message.contains("crosses") ?? false, "\(error)") }
    }
}
