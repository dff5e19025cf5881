import FinanceAPI
import Foundation
import ProtoRuntime
import QuantumTypes
import RPCCore

/// What a tariff must look like before it may price anything: required fields, prices in the
/// tariff's currency and unit, contiguous tiers, and time-of-use periods that cover every
/// (weekday, hour) exactly once.
public enum TariffRules {
    /// The tariff to store: validated, with its id and create time, REGULATED unless said otherwise.
    static func forCreate(_ requested: Tariff, id: String, now: Timestamp) throws(RPCError) -> Tariff {
        var tariff = requested
        if tariff.regulatoryScope == .unspecified { tariff.regulatoryScope = .regulated }
        try validate(tariff, field: "tariff")
        tariff.tariffID = id
        tariff.createTime = now
        return tariff
    }

    public static func validate(_ tariff: Tariff, field: String = "tariff") throws(RPCError) {
        try FieldRules.text(tariff.displayName, "\(field).display_name", required: true)
        try FieldRules.specified(tariff.commodity, "\(field).commodity")
        try FieldRules.currency(tariff.currencyCode, "\(field).currency_code")
        guard !tariff.timeZone.isEmpty, TimeZone(identifier: tariff.timeZone) != nil else {
            throw Fail.invalid("\(field).time_zone '\(tariff.timeZone)' is not an IANA time zone such as America/Los_Angeles")
        }
        let start = try FieldRules.date(tariff.effectiveDates?.startDate, "\(field).effective_dates.start_date")
        if let end = tariff.effectiveDates?.endDate {
            _ = try FieldRules.date(end, "\(field).effective_dates.end_date")
            guard end.ordinal >= start.ordinal else {
                throw Fail.invalid("\(field).effective_dates.end_date \(end.text) is before start_date \(start.text)")
            }
        }
        try FieldRules.known(tariff.regulatoryScope, "\(field).regulatory_scope")
        if tariff.regulatoryScope != .nonRegulated {
            try FieldRules.text(tariff.approvalReference, "\(field).approval_reference (required for REGULATED tariffs)", required: true)
        }
        try FieldRules.specified(tariff.unit, "\(field).unit")
        if let fixed = tariff.fixedMonthlyCharge {
            _ = try FieldRules.money(fixed, "\(field).fixed_monthly_charge", currency: tariff.currencyCode)
            guard fixed.minorUnits >= 0 else { throw Fail.invalid("\(field).fixed_monthly_charge must not be negative") }
        }
        switch tariff.energyCharge {
        case nil:
            throw Fail.invalid("\(field).energy_charge is required: flat_rate, tiered_rate or time_of_use_rate")
        case .flatRate(let flat)?:
            try checkPrice(flat.price, tariff, "\(field).flat_rate.price")
        case .tieredRate(let tiered)?:
            try checkTiers(tiered.tiers, tariff, "\(field).tiered_rate.tiers")
        case .timeOfUseRate(let timeOfUse)?:
            try checkPeriods(timeOfUse.periods, tariff, "\(field).time_of_use_rate.periods")
        }
    }

    static func checkPrice(_ price: EnergyPrice?, _ tariff: Tariff, _ field: String) throws(RPCError) {
        guard let price else { throw Fail.invalid("\(field) is required") }
        guard price.currencyCode == tariff.currencyCode else {
            throw Fail.invalid("\(field).currency_code is '\(price.currencyCode)' but the tariff's is \(tariff.currencyCode)")
        }
        guard price.unit == tariff.unit || price.unit == .unspecified else {
            throw Fail.invalid("\(field).unit is \(price.unit.protoName ?? "?") but the tariff's is \(tariff.unit.protoName ?? "?")")
        }
    }

    /// Tiers start at 0, each starts where the previous ended, each is non-empty, only the last is unbounded.
    static func checkTiers(_ tiers: [TariffTier], _ tariff: Tariff, _ field: String) throws(RPCError) {
        guard !tiers.isEmpty else { throw Fail.invalid("\(field) needs at least one tier") }
        var expectedFrom: Int64 = 0
        for (index, tier) in tiers.enumerated() {
            let name = "\(field)[\(index)]"
            try checkPrice(tier.price, tariff, "\(name).price")
            let from = try quantity(tier.fromQuantity, tariff, "\(name).from_quantity") ?? 0
            guard from == expectedFrom else {
                throw Fail.invalid(
                    index == 0 ? "\(name).from_quantity must be 0 (the first tier starts at 0), got \(from) milli-units"
                        : "\(name).from_quantity is \(from) but tier \(index - 1) ends at \(expectedFrom): tiers must be contiguous")
            }
            guard let to = try quantity(tier.toQuantity, tariff, "\(name).to_quantity") else {
                guard index == tiers.count - 1 else { throw Fail.invalid("\(name).to_quantity is unset, but only the last tier may be unbounded") }
                return
            }
            guard to > from else { throw Fail.invalid("\(name).to_quantity \(to) must be greater than from_quantity \(from)") }
            expectedFrom = to
        }
    }

    /// The milli-value of a quantity in the tariff's unit (nil when unset).
    static func quantity(_ value: EnergyQuantity?, _ tariff: Tariff, _ field: String) throws(RPCError) -> Int64? {
        guard let value else { return nil }
        guard value.unit == tariff.unit || value.unit == .unspecified else {
            throw Fail.invalid("\(field).unit is \(value.unit.protoName ?? "?") but the tariff's is \(tariff.unit.protoName ?? "?")")
        }
        guard value.milliValue >= 0 else { throw Fail.invalid("\(field) must not be negative") }
        return value.milliValue
    }

    /// Every (weekday, hour) is covered by exactly one period; names are unique.
    static func checkPeriods(_ periods: [TimeOfUsePeriod], _ tariff: Tariff, _ field: String) throws(RPCError) {
        guard !periods.isEmpty else { throw Fail.invalid("\(field) needs at least one period") }
        var owner = [[Int?]](repeating: [Int?](repeating: nil, count: 24), count: 8)  // [ISO weekday 1–7][hour]
        var names = Set<String>()
        for (index, period) in periods.enumerated() {
            let name = "\(field)[\(index)]"
            try FieldRules.text(period.periodName, "\(name).period_name", required: true)
            guard names.insert(period.periodName).inserted else { throw Fail.invalid("\(name).period_name '\(period.periodName)' is used twice") }
            guard !period.days.isEmpty else { throw Fail.invalid("\(name).days needs at least one day") }
            guard (0...23).contains(period.startHour), (1...24).contains(period.endHour), period.endHour > period.startHour else {
                throw Fail.invalid("\(name): start_hour \(period.startHour) and end_hour \(period.endHour) must satisfy 0 ≤ start < end ≤ 24")
            }
            try checkPrice(period.price, tariff, "\(name).price")
            for day in period.days {
                let weekday = Int(day.rawValue)
                guard (1...7).contains(weekday) else { throw Fail.invalid("\(name).days holds \(day.protoName ?? "\(day.rawValue)"), not a weekday") }
                for hour in Int(period.startHour)..<Int(period.endHour) {
                    if let first = owner[weekday][hour] {
                        throw Fail.invalid(
                            "\(field): \(slot(weekday, hour)) is covered twice, by '\(periods[first].periodName)' and '\(period.periodName)'")
                    }
                    owner[weekday][hour] = index
                }
            }
        }
        for weekday in 1...7 {
            for hour in 0..<24 where owner[weekday][hour] == nil {
                throw Fail.invalid("\(field): \(slot(weekday, hour)) is not covered by any period")
            }
        }
    }

    static func slot(_ weekday: Int, _ hour: Int) -> String {
        let days = ["", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
        return "\(days[weekday]) \(hour < 10 ? "0" : "")\(hour):00–\(hour + 1 < 10 ? "0" : "")\(hour + 1):00"
    }

    /// Whether the tariff is in effect on `date`.
    static func isEffective(_ tariff: Tariff, on date: CalendarDate) -> Bool {
        guard let start = tariff.effectiveDates?.startDate, start.ordinal <= date.ordinal else { return false }
        guard let end = tariff.effectiveDates?.endDate else { return true }
        return date.ordinal <= end.ordinal
    }
}
