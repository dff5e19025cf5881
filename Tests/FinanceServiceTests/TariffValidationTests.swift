import FinanceAPI
import FinanceDomain
import QuantumTypes
import RPCCore
import XCTest

final class TariffValidationTests: XCTestCase {
    private func assertRejected(_ tariff: Tariff, _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try TariffRules.validate(tariff), file: file, line: line) { error in
            let status = error as? RPCError
            XCTAssertEqual(status?.code, .invalidArgument, file: file, line: line)
            XCTAssertTrue(status?.message.contains(fragment) ?? false, "'\(status?.message ?? "")' lacks '\(fragment)'", file: file, line: line)
        }
    }

    func testValidTariffsPass() throws {
        for charge in [Fixtures.flat(1), Fixtures.twoTiers, Fixtures.peakAndOffPeak] {
            XCTAssertNoThrow(try TariffRules.validate(Fixtures.tariff(charge)))
        }
    }

    func testTiersMustBeContiguousStartAtZeroAndOnlyTheLastUnbounded() {
        let tier = { (from: Int64, to: Int64?) in
            TariffTier.with { $0.fromQuantity = Fixtures.kwh(milli: from); $0.toQuantity = to.map { Fixtures.kwh(milli: $0) }; $0.price = Fixtures.price(1) }
        }
        let tiered = { (tiers: [TariffTier]) in Fixtures.tariff(.tieredRate(.with { $0.tiers = tiers })) }
        assertRejected(tiered([tier(100, nil)]), "tiers[0].from_quantity must be 0")
        assertRejected(tiered([tier(0, 400), tier(500, nil)]), "tiers[1].from_quantity is 500 but tier 0 ends at 400")
        assertRejected(tiered([tier(0, 400), tier(300, nil)]), "tiers must be contiguous")
        assertRejected(tiered([tier(0, nil), tier(400, nil)]), "tiers[0].to_quantity is unset, but only the last tier may be unbounded")
        assertRejected(tiered([tier(0, 0)]), "tiers[0].to_quantity 0 must be greater")
        assertRejected(tiered([]), "at least one tier")
        XCTAssertNoThrow(try TariffRules.validate(tiered([tier(0, 400), tier(400, 800)])))  // bounded last tier is allowed
    }

    func testTimeOfUsePeriodsMustCoverEveryHourExactlyOnce() {
        let all: [DayOfWeek] = [.monday, .tuesday, .wednesday, .thursday, .friday, .saturday, .sunday]
        let timeOfUse = { (periods: [TimeOfUsePeriod]) in Fixtures.tariff(.timeOfUseRate(.with { $0.periods = periods })) }
        assertRejected(timeOfUse([Fixtures.period("day", all, 0, 23, 1)]), "MONDAY 23:00–24:00 is not covered")
        assertRejected(timeOfUse([Fixtures.period("a", all, 0, 24, 1), Fixtures.period("b", [.sunday], 5, 6, 1)]),
                       "SUNDAY 05:00–06:00 is covered twice, by 'a' and 'b'")
        assertRejected(timeOfUse([Fixtures.period("a", Array(all.dropLast()), 0, 24, 1)]), "SUNDAY 00:00–01:00 is not covered")
        assertRejected(timeOfUse([Fixtures.period("a", all, 5, 5, 1)]), "0 ≤ start < end ≤ 24")
        assertRejected(timeOfUse([Fixtures.period("a", all, 0, 12, 1), Fixtures.period("a", all, 12, 24, 1)]), "'a' is used twice")
        assertRejected(timeOfUse([Fixtures.period("a", [], 0, 24, 1)]), "days needs at least one day")
    }

    func testRequiredFieldsEffectiveDatesAndPriceCurrency() {
        var tariff = Fixtures.tariff(Fixtures.flat(1))
        tariff.effectiveDates = Fixtures.range(Fixtures.date(2025, 6, 1), Fixtures.date(2025, 5, 31))
        assertRejected(tariff, "effective_dates.end_date 2025-05-31 is before start_date 2025-06-01")
        tariff = Fixtures.tariff(Fixtures.flat(1))
        tariff.effectiveDates = nil
        assertRejected(tariff, "effective_dates.start_date is required")
        tariff = Fixtures.tariff(Fixtures.flat(1))
        tariff.approvalReference = ""
        assertRejected(tariff, "approval_reference")
        tariff.regulatoryScope = .nonRegulated
        XCTAssertNoThrow(try TariffRules.validate(tariff))  // non-regulated plans need no approval
        tariff = Fixtures.tariff(.flatRate(.with { $0.price = .with { $0.currencyCode = "EUR"; $0.microMinorUnits = 1; $0.unit = .kwh } }))
        assertRejected(tariff, "flat_rate.price.currency_code is 'EUR' but the tariff's is USD")
        tariff = Fixtures.tariff(Fixtures.flat(1))
        tariff.timeZone = "Mars/Olympus_Mons"
        assertRejected(tariff, "time_zone 'Mars/Olympus_Mons'")
        tariff = Fixtures.tariff(Fixtures.flat(1))
        tariff.energyCharge = nil
        assertRejected(tariff, "energy_charge is required")
    }
}
