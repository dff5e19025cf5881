import Foundation
import QuantumTypes

/// Local calendar dates and midnights in one IANA time zone (bills are in local days).
public struct LocalDays: Sendable {
    private let calendar: Calendar

    public init(timeZone identifier: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: identifier) ?? TimeZone(secondsFromGMT: 0)!
        self.calendar = calendar
    }

    /// The local date of an instant.
    public func date(of seconds: Int64) -> CalendarDate {
        let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        return .with {
            $0.year = Int32(parts.year ?? 1970)
            $0.month = Int32(parts.month ?? 1)
            $0.day = Int32(parts.day ?? 1)
        }
    }

    /// Seconds since 1970 of 00:00 local time on `date`.
    public func midnight(_ date: CalendarDate) -> Int64 {
        let components = DateComponents(year: Int(date.year), month: Int(date.month), day: Int(date.day))
        return Int64(calendar.date(from: components)?.timeIntervalSince1970 ?? 0)
    }

    /// The date `days` after `date`.
    public func adding(_ days: Int, to date: CalendarDate) -> CalendarDate {
        self.date(of: midnight(date) + Int64(days) * 86_400 + 43_200)  // noon: safe across DST changes
    }

    /// Offset of local time from UTC at an instant, in seconds.
    public func utcOffset(at seconds: Int64) -> Int64 {
        Int64(calendar.timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
    }

    /// ISO weekday (Monday = 1 … Sunday = 7) of an instant.
    public func isoWeekday(at seconds: Int64) -> Int {
        let weekday = calendar.component(.weekday, from: Date(timeIntervalSince1970: TimeInterval(seconds)))  // Sunday = 1
        return (weekday + 5) % 7 + 1
    }
}
