import Foundation
import ProtoRuntime
import QuantumTypes

/// Where the domain reads "now" from: the system clock in the service, a fixed instant in tests.
public struct DomainClock: Sendable {
    public let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) { self.now = now }

    public static let system = DomainClock { Date() }

    /// The current instant as a protobuf timestamp.
    public func timestamp() -> Timestamp { Timestamp(date: now()) }

    /// Today's date in UTC (agreement dates are calendar dates without a zone; the mesh uses UTC).
    public func today() -> CalendarDate { CalendarDate(utcDayOf: now()) }
}

extension Timestamp {
    public init(date: Date) {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let nanos = Int32(min(999_999_999, max(0, ((date.timeIntervalSince1970 - seconds) * 1e9).rounded())))
        self.init(seconds: Int64(seconds), nanos: nanos)
    }

    /// Milliseconds since 1970, the unit the store's time columns use.
    public var milliseconds: Int64 { seconds * 1000 + Int64(nanos / 1_000_000) }

    /// Whether the value is a valid protobuf timestamp (0001-01-01 … 9999-12-31, nanos in range).
    var isValid: Bool {
        (-62_135_596_800...253_402_300_799).contains(seconds) && (0..<1_000_000_000).contains(nanos)
    }
}

extension CalendarDate {
    init(utcDayOf date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        self.init()
        year = Int32(parts.year ?? 1970)
        month = Int32(parts.month ?? 1)
        day = Int32(parts.day ?? 1)
    }

    /// yyyymmdd as one integer: orders like the dates do (for the store and comparisons).
    public var ordinal: Int64 { Int64(year) * 10_000 + Int64(month) * 100 + Int64(day) }

    /// Whether the date exists in the proleptic Gregorian calendar (year 1–9999).
    var isValid: Bool {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths: [Int32] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[Int(month) - 1]
    }

    var text: String {
        String(format: "%04d-%02d-%02d", Int(year), Int(month), Int(day))
    }
}
