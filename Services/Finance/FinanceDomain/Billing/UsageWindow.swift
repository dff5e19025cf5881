import FinanceAPI
import Foundation
import ProtoRuntime
import QuantumTypes
import RPCCore

/// Usage intervals checked against a billing period: each lies inside the period (its dates
/// are local to the tariff's time zone), none overlap, energy is ≥ 0 in the tariff's unit.
struct CheckedUsage {
    struct Interval {
        let index: Int
        let startMilliseconds: Int64
        let endMilliseconds: Int64
        let milliValue: Int64
    }

    let intervals: [Interval]
    let totalMilliValue: Int64

    init(_ usage: [UsageInterval], period: (start: CalendarDate, end: CalendarDate), tariff: Tariff, calendar: Calendar) throws(RPCError) {
        let periodStart = Self.localMidnight(period.start, calendar)
        let periodEnd = Self.localMidnight(period.end.adding(days: 1), calendar)
        var intervals: [Interval] = []
        var total: Int64 = 0
        for (index, interval) in usage.enumerated() {
            let field = "usage[\(index)]"
            guard let start = interval.startTime else { throw Fail.invalid("\(field).start_time is required") }
            try FieldRules.timestamp(start, "\(field).start_time")
            guard let length = interval.length, length.seconds >= 0, length.nanos >= 0, length.seconds > 0 || length.nanos > 0 else {
                throw Fail.invalid("\(field).length is required and must be positive")
            }
            guard let energy = interval.energy else { throw Fail.invalid("\(field).energy is required") }
            guard energy.unit == tariff.unit || energy.unit == .unspecified else {
                throw Fail.invalid("\(field).energy.unit is \(energy.unit.protoName ?? "?") but the tariff prices \(tariff.unit.protoName ?? "?")")
            }
            guard energy.milliValue >= 0 else { throw Fail.invalid("\(field).energy must not be negative") }
            let startMilliseconds = start.milliseconds
            let endMilliseconds = startMilliseconds + length.seconds * 1000 + Int64(length.nanos / 1_000_000)
            guard startMilliseconds >= periodStart, endMilliseconds <= periodEnd else {
                throw Fail.invalid("\(field) lies outside the billing period \(period.start.text)…\(period.end.text) (\(tariff.timeZone))")
            }
            let (sum, overflow) = total.addingReportingOverflow(energy.milliValue)
            guard !overflow else { throw Fail.invalid("usage: the total energy overflows") }
            total = sum
            intervals.append(Interval(index: index, startMilliseconds: startMilliseconds, endMilliseconds: endMilliseconds, milliValue: energy.milliValue))
        }
        let ordered = intervals.sorted { $0.startMilliseconds < $1.startMilliseconds }
        for (previous, next) in zip(ordered, ordered.dropFirst()) where next.startMilliseconds < previous.endMilliseconds {
            throw Fail.invalid("usage[\(next.index)] overlaps usage[\(previous.index)]")
        }
        self.intervals = intervals
        self.totalMilliValue = total
    }

    /// Milliseconds since 1970 of 00:00 local time on `date`.
    static func localMidnight(_ date: CalendarDate, _ calendar: Calendar) -> Int64 {
        let components = DateComponents(year: Int(date.year), month: Int(date.month), day: Int(date.day))
        let instant = calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
        return Int64((instant.timeIntervalSince1970 * 1000).rounded())
    }

    /// The ISO weekday (Monday = 1) and hour, local to `calendar`, of an instant.
    static func weekdayAndHour(_ milliseconds: Int64, _ calendar: Calendar) -> (weekday: Int, hour: Int) {
        let parts = calendar.dateComponents([.weekday, .hour], from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
        let gregorianWeekday = parts.weekday ?? 1  // Sunday = 1 … Saturday = 7
        return ((gregorianWeekday + 5) % 7 + 1, parts.hour ?? 0)
    }
}
