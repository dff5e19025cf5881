import AssetAPI
import CustomerAPI
import DemoData
import FinanceAPI
import Foundation
import XCTest

/// The generated plan, before anything is sent: deterministic, and consistent with itself.
final class DemoPlanTests: XCTestCase {
    static let now = ISO8601DateFormatter().date(from: "2026-03-10T15:30:00Z")!
    static let parameters = DemoParameters(seed: 42, customers: 300, days: 3, now: now)
    static let plan = DemoPlanner.plan(parameters)

    func testSameSeedSamePlanDifferentSeedDifferentPlan() {
        // (XCTAssertTrue: a failing XCTAssertEqual would print megabytes of plan.)
        XCTAssertTrue(DemoPlanner.plan(Self.parameters) == Self.plan, "same parameters, same plan")
        var other = Self.parameters
        other.seed = 43
        let different = DemoPlanner.plan(other)
        XCTAssertTrue(different != Self.plan)
        XCTAssertNotEqual(different.customers.map(\.displayName), Self.plan.customers.map(\.displayName))
        XCTAssertNotEqual(different.meterPoints.map(\.profile), Self.plan.meterPoints.map(\.profile))
        // Only the UTC day of `now` matters, so re-runs later the same day replay the same requests.
        var laterToday = Self.parameters
        laterToday.now = Self.now.addingTimeInterval(3 * 3600)
        var replanned = DemoPlanner.plan(laterToday)
        XCTAssertEqual(replanned.parameters.requestTag, Self.parameters.requestTag)
        replanned.parameters = Self.parameters
        XCTAssertTrue(replanned == Self.plan, "a later run the same UTC day plans the same data")
    }

    func testReadingsAreDeterministicPerMeterDay() {
        let meter = Self.plan.meterPoints[3].profile
        let generator = ReadingGenerator(timeZone: meter.timeZone)
        XCTAssertEqual(generator.readings(meter, dayStart: Self.parameters.windowStart), generator.readings(meter, dayStart: Self.parameters.windowStart))
        XCTAssertNotEqual(
            generator.readings(meter, dayStart: Self.parameters.windowStart).map(\.milli),
            generator.readings(meter, dayStart: Self.parameters.windowStart + 86_400).map(\.milli))
    }

    func testCustomerMixIsMostlyResidential() {
        let plan = DemoPlanner.plan(DemoParameters(seed: 7, customers: 2_000, days: 2, now: Self.now))
        let commercial = Double(plan.customers.filter { $0.kind == .commercial }.count) / Double(plan.customers.count)
        XCTAssertEqual(commercial, 0.15, accuracy: 0.03)
        XCTAssertEqual(plan.customers.count, 2_000)
        XCTAssertEqual(plan.premises.count, 2_000)
        XCTAssertEqual(plan.accounts.filter { $0.account.regulatoryScope == .regulated }.count, 2_000, "everyone has a regulated account")
        XCTAssertGreaterThan(plan.accounts.filter { $0.account.regulatoryScope == .nonRegulated }.count, 200)
        XCTAssertGreaterThan(plan.consents.count, 100)
        XCTAssertGreaterThan(plan.meterPoints.filter(\.profile.hasSolar).count, 100)
    }

    func testEveryReferenceResolvesAndScopesMatch() {
        let plan = Self.plan
        for account in plan.accounts {
            XCTAssertTrue(plan.premises.indices.contains(account.premise), "every account has a premise")
            XCTAssertTrue(plan.customers.indices.contains(account.customer))
            XCTAssertEqual(plan.premises[account.premise].customer, account.customer)
        }
        for agreement in plan.agreements {
            XCTAssertEqual(plan.accounts[agreement.account].account.regulatoryScope, plan.products[agreement.product].product.regulatoryScope)
        }
        for meter in plan.meterPoints {
            XCTAssertEqual(plan.assets[meter.meterAsset].asset.assetType, .electricMeter)
            XCTAssertEqual(plan.assets[meter.meterAsset].premise, meter.premise)
        }
        for customer in plan.customers.indices {
            XCTAssertEqual(plan.accounts.filter { $0.customer == customer && $0.account.regulatoryScope == .regulated }.count, 1)
        }
        XCTAssertEqual(plan.outages.filter { $0.endSeconds == nil }.count, 1, "exactly one open outage")
        let tour = plan.tour
        XCTAssertEqual(plan.customers[tour.customer].kind, .residential)
        XCTAssertEqual(plan.customers[tour.commercialCustomer].kind, .commercial)
        XCTAssertTrue(plan.accounts.contains { $0.customer == tour.customer && $0.account.regulatoryScope == .nonRegulated })
        XCTAssertTrue(plan.consents.contains { $0.customer == tour.customer })
        XCTAssertTrue(plan.meterPoints[tour.meterPoint].profile.hasSolar)
        XCTAssertTrue(plan.outages[tour.openOutage].affectedPremises.contains(tour.premise))
        XCTAssertEqual(plan.assets[plan.outages[tour.openOutage].faultAsset].asset.assetType, .transformer)
    }

    func testTopologyIsATreeFromSubstationsToMeters() {
        let assets = Self.plan.assets
        let parentTypes: [AssetType: [AssetType]] = [
            .feeder: [.substation], .transformer: [.feeder], .servicePoint: [.transformer], .electricMeter: [.servicePoint],
            .rooftopSolar: [.electricMeter], .evCharger: [.electricMeter], .smartHomeHub: [.electricMeter],
        ]
        for (index, planned) in assets.enumerated() {
            guard let parent = planned.parent else {
                XCTAssertEqual(planned.asset.assetType, .substation, "only substations are roots")
                continue
            }
            XCTAssertLessThan(parent, index, "parents come first, so there is no cycle")
            XCTAssertEqual(parentTypes[planned.asset.assetType], [assets[parent].asset.assetType])
            var depth = 0, current: Int? = index
            while let node = current { current = assets[node].parent; depth += 1 }
            XCTAssertLessThanOrEqual(depth, 6)
        }
    }

    func testTiersAreContiguousAndTimeOfUseCoversTheWeek() throws {
        for tariff in Self.plan.tariffs {
            switch tariff.energyCharge {
            case .tieredRate(let tiered)?:
                var expected: Int64 = 0
                for (index, tier) in tiered.tiers.enumerated() {
                    XCTAssertEqual(tier.fromQuantity?.milliValue ?? 0, expected)
                    guard let to = tier.toQuantity else { XCTAssertEqual(index, tiered.tiers.count - 1); break }
                    XCTAssertGreaterThan(to.milliValue, expected)
                    expected = to.milliValue
                }
            case .timeOfUseRate(let timeOfUse)?:
                var covered = [Int](repeating: 0, count: 7 * 24)
                for period in timeOfUse.periods {
                    for day in period.days {
                        for hour in period.startHour..<period.endHour { covered[(Int(day.rawValue) - 1) * 24 + Int(hour)] += 1 }
                    }
                }
                XCTAssertEqual(Set(covered), [1], "every weekday hour exactly once")
            case .flatRate?: break
            case nil: XCTFail("tariff \(tariff.displayName) has no energy charge")
            }
        }
        XCTAssertEqual(Set(Self.plan.tariffs.compactMap { $0.energyCharge.map { "\($0)".prefix(4) } }).count, 3, "flat, tiered and time-of-use")
    }

    func testNinetySixReadsPerDayExceptPlannedGaps() {
        var gapsSeen = 0, spikesSeen = 0
        let parameters = Self.parameters
        for meter in Self.plan.meterPoints {
            let generator = ReadingGenerator(timeZone: meter.profile.timeZone)
            for day in stride(from: parameters.windowStart, to: parameters.windowEnd, by: 86_400) {
                let delivered = generator.readings(meter.profile, dayStart: day).filter { $0.channel == .delivered }
                let missing = (0..<96).map { day + Int64($0) * 900 }.filter { start in meter.profile.gaps.contains { $0.contains(start) } }
                XCTAssertEqual(delivered.count, 96 - missing.count)
                XCTAssertEqual(Set(delivered.map(\.start)).count, delivered.count)
                XCTAssertTrue(delivered.allSatisfy { $0.milli >= 0 && ($0.start - day) % 900 == 0 })
                gapsSeen += missing.count
                if meter.profile.hasSolar {
                    XCTAssertEqual(generator.readings(meter.profile, dayStart: day).filter { $0.channel == .received }.count, delivered.count)
                }
            }
            for spike in meter.profile.spikes {
                let day = spike - ((spike % 86_400) + 86_400) % 86_400
                let values = generator.readings(meter.profile, dayStart: day).filter { $0.channel == .delivered }
                let median = values.map(\.milli).sorted()[values.count / 2]
                let value = values.first { $0.start == spike }?.milli ?? 0
                XCTAssertGreaterThan(value, 3 * median, "a planned spike is more than 3× the day's median")
                spikesSeen += 1
            }
        }
        XCTAssertGreaterThan(gapsSeen, 0, "some gaps for VEE to find")
        XCTAssertGreaterThan(spikesSeen, 0, "some spikes for VEE to find")
    }

    func testBillsCoverWholeLocalDaysInsideTheWindow() {
        let days = LocalDays(timeZone: "America/Los_Angeles")
        XCTAssertEqual(Self.plan.bills.count, Self.plan.accounts.filter { $0.account.regulatoryScope == .regulated }.count)
        for bill in Self.plan.bills {
            XCTAssertGreaterThanOrEqual(days.midnight(bill.firstDay), Self.parameters.windowStart)
            XCTAssertLessThanOrEqual(days.midnight(days.adding(1, to: bill.lastDay)), Self.parameters.windowEnd)
            XCTAssertLessThanOrEqual(days.midnight(bill.firstDay), days.midnight(bill.lastDay))
        }
    }
}
