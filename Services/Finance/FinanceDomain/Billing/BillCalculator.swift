import FinanceAPI
import Foundation
import ProtoRuntime
import QuantumTypes
import RPCCore

/// Prices usage under a tariff — a pure function, no store, no clock.
///
/// Rounding, stated once: each line's amount is `quantity × unit price` computed exactly
/// (milli-units × micro-minor-units = 10⁻⁹ minor units, in 128-bit integers), then rounded
/// once, half-even, to a minor unit. The total is the sum of the rounded lines. The fixed
/// charge is one line per bill, never prorated.
public enum BillCalculator {
    public static func calculate(
        tariff: Tariff, billingPeriod: DateRange?, usage: [UsageInterval]
    ) throws(RPCError) -> CalculateBillResponse {
        try TariffRules.validate(tariff)
        let period = try FieldRules.closedRange(billingPeriod, "billing_period")
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: tariff.timeZone) ?? TimeZone(secondsFromGMT: 0)!
        let checked = try CheckedUsage(usage, period: period, tariff: tariff, calendar: calendar)

        var lines: [BillLineItem] = []
        if let fixed = tariff.fixedMonthlyCharge {
            lines.append(.with { $0.kind = .fixedCharge; $0.label = "Fixed monthly charge"; $0.amount = fixed })
        }
        switch tariff.energyCharge {
        case .flatRate(let flat)?:
            lines.append(try energyLine(.energyFlat, "Energy", checked.totalMilliValue, flat.price, tariff))
        case .tieredRate(let tiered)?:
            lines += try tierLines(tiered.tiers, total: checked.totalMilliValue, tariff)
        case .timeOfUseRate(let timeOfUse)?:
            lines += try timeOfUseLines(timeOfUse.periods, checked, calendar, tariff)
        case nil:
            break  // validate() refuses a tariff without an energy charge
        }
        var total: Int64 = 0
        for line in lines {
            let (sum, overflow) = total.addingReportingOverflow(line.amount?.minorUnits ?? 0)
            guard !overflow else { throw Fail.invalid("the bill total overflows a 64-bit count of minor units") }
            total = sum
        }
        return .with {
            $0.lineItems = lines
            $0.total = Money.with { $0.currencyCode = tariff.currencyCode; $0.minorUnits = total }
            $0.totalUsage = EnergyQuantity.with { $0.milliValue = checked.totalMilliValue; $0.unit = tariff.unit }
        }
    }

    /// `milliValue × price` rounded half-even to a minor unit.
    public static func amount(milliValue: Int64, microMinorPerUnit: Int64) -> Int64? {
        HalfEven.divideToInt64(Int128(milliValue) * Int128(microMinorPerUnit), by: 1_000_000_000)
    }

    static func energyLine(
        _ kind: BillLineKind, _ label: String, _ milliValue: Int64, _ price: EnergyPrice?, _ tariff: Tariff,
        configure: (inout BillLineItem) -> Void = { _ in }
    ) throws(RPCError) -> BillLineItem {
        let price = price ?? EnergyPrice()
        guard let minorUnits = amount(milliValue: milliValue, microMinorPerUnit: price.microMinorUnits) else {
            throw Fail.invalid("the amount of line '\(label)' overflows a 64-bit count of minor units")
        }
        var line = BillLineItem.with {
            $0.kind = kind
            $0.label = label
            $0.quantity = EnergyQuantity.with { $0.milliValue = milliValue; $0.unit = tariff.unit }
            $0.unitPrice = EnergyPrice.with { $0.currencyCode = tariff.currencyCode; $0.microMinorUnits = price.microMinorUnits; $0.unit = tariff.unit }
            $0.amount = Money.with { $0.currencyCode = tariff.currencyCode; $0.minorUnits = minorUnits }
        }
        configure(&line)
        return line
    }

    /// One line per tier the period's consumption reaches (the block inside [from, to)).
    static func tierLines(_ tiers: [TariffTier], total: Int64, _ tariff: Tariff) throws(RPCError) -> [BillLineItem] {
        var lines: [BillLineItem] = []
        for (index, tier) in tiers.enumerated() {
            let from = tier.fromQuantity?.milliValue ?? 0
            let to = tier.toQuantity?.milliValue
            let inTier = min(total, to ?? Int64.max) - from
            guard inTier > 0 else { break }
            let range = (to.map { "\(format(from))–\(format($0))" } ?? "\(format(from))+") + " \(unitName(tariff.unit))"
            lines.append(try energyLine(.energyTier, "Tier \(index + 1) (\(range))", inTier, tier.price, tariff) { $0.tierIndex = Int32(index) })
        }
        return lines
    }

    /// One line per period with usage, in the tariff's period order. An interval belongs to
    /// the period of its start and must not cross into another.
    static func timeOfUseLines(
        _ periods: [TimeOfUsePeriod], _ usage: CheckedUsage, _ calendar: Calendar, _ tariff: Tariff
    ) throws(RPCError) -> [BillLineItem] {
        func period(at milliseconds: Int64) -> Int {
            let (weekday, hour) = CheckedUsage.weekdayAndHour(milliseconds, calendar)
            return periods.firstIndex { period in
                period.days.contains { Int($0.rawValue) == weekday } && (Int(period.startHour)..<Int(period.endHour)).contains(hour)
            } ?? 0  // validate() proved every (weekday, hour) has exactly one period
        }
        var perPeriod = [Int64](repeating: 0, count: periods.count)
        for interval in usage.intervals {
            let first = period(at: interval.startMilliseconds), last = period(at: interval.endMilliseconds - 1)
            guard first == last else {
                throw Fail.invalid(
                    "usage[\(interval.index)] crosses from period '\(periods[first].periodName)' into '\(periods[last].periodName)'; "
                        + "split it at the boundary (intervals of at most one hour on the hour never cross)")
            }
            perPeriod[first] += interval.milliValue  // cannot overflow: the total did not
        }
        var lines: [BillLineItem] = []
        for (index, period) in periods.enumerated() where perPeriod[index] > 0 {
            lines.append(try energyLine(.energyTimeOfUse, "Energy (\(period.periodName))", perPeriod[index], period.price, tariff) {
                $0.periodName = period.periodName
            })
        }
        return lines
    }

    /// 400000 milli-units → "400", 400500 → "400.5".
    static func format(_ milliValue: Int64) -> String {
        let whole = milliValue / 1000, fraction = milliValue % 1000
        guard fraction != 0 else { return String(whole) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }

    static func unitName(_ unit: EnergyUnit) -> String {
        switch unit {
        case .wh: "Wh"
        case .kwh: "kWh"
        case .mwh: "MWh"
        case .therm: "therm"
        default: (unit.protoName ?? "").replacingOccurrences(of: "ENERGY_UNIT_", with: "").lowercased()
        }
    }
}
