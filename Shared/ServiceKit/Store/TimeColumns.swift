import Foundation
import ProtoRuntime
import QuantumTypes

/// How services store instants and dates in SQL columns (shared by every domain store): timestamps as integer nanoseconds or milliseconds since
/// 1970 (so they sort and compare in SQL), calendar dates as yyyymmdd integers.
public enum TimeColumns {
    /// Nanoseconds since 1970 fit an Int64 from 1677 to 2262; sensor samples live well inside.
    public static let nanosecondRange: ClosedRange<Int64> = -9_223_372_035 ... 9_223_372_035

    public static func timestamp(from date: Date) -> Timestamp {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let nanos = Int32(min(999_999_999, max(0, ((date.timeIntervalSince1970 - seconds) * 1e9).rounded())))
        return Timestamp(seconds: Int64(seconds), nanos: nanos)
    }

    public static func milliseconds(_ time: Timestamp) -> Int64 { time.seconds * 1000 + Int64(time.nanos / 1_000_000) }

    public static func nanoseconds(_ time: Timestamp) -> Int64 { time.seconds * 1_000_000_000 + Int64(time.nanos) }

    public static func timestamp(nanoseconds: Int64) -> Timestamp {
        let (seconds, remainder) = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        return remainder < 0
            ? Timestamp(seconds: seconds - 1, nanos: Int32(remainder + 1_000_000_000))
            : Timestamp(seconds: seconds, nanos: Int32(remainder))
    }

    public static func isValid(_ time: Timestamp) -> Bool {
        (-62_135_596_800...253_402_300_799).contains(time.seconds) && (0..<1_000_000_000).contains(time.nanos)
    }

    /// yyyymmdd: orders like the dates do.
    public static func ordinal(_ date: CalendarDate) -> Int64 { Int64(date.year) * 10_000 + Int64(date.month) * 100 + Int64(date.day) }

    public static func isValid(_ date: CalendarDate) -> Bool {
        guard (1...9999).contains(date.year), (1...12).contains(date.month), date.day >= 1 else { return false }
        let leap = (date.year % 4 == 0 && date.year % 100 != 0) || date.year % 400 == 0
        let lengths: [Int32] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return date.day <= lengths[Int(date.month) - 1]
    }
}
