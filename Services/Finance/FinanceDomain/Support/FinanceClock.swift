import Foundation
import ProtoRuntime
import QuantumTypes

/// Where the finance domain reads "now": the system clock in the service, a fixed instant in tests.
public struct FinanceClock: Sendable {
    public let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) { self.now = now }

    public static let system = FinanceClock { Date() }

    /// The current instant, whole milliseconds (the store's time resolution, so a read-back equals what was returned).
    func timestamp() -> Timestamp { Timestamp(milliseconds: Int64((now().timeIntervalSince1970 * 1000).rounded(.down))) }

    /// Today's date in UTC.
    func today() -> CalendarDate { CalendarDate(dayNumber: Int64((now().timeIntervalSince1970 / 86_400).rounded(.down))) }
}

extension Timestamp {
    init(milliseconds: Int64) {
        let (seconds, remainder) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        self = remainder < 0
            ? Timestamp(seconds: seconds - 1, nanos: Int32(remainder + 1000) * 1_000_000)
            : Timestamp(seconds: seconds, nanos: Int32(remainder) * 1_000_000)
    }

    /// Milliseconds since 1970, the unit of the store's time columns (sub-millisecond parts are dropped).
    var milliseconds: Int64 { seconds * 1000 + Int64(nanos / 1_000_000) }

    /// Inside protobuf's range (0001-01-01 … 9999-12-31) with nanos in range.
    var isValid: Bool {
        (-62_135_596_800...253_402_300_799).contains(seconds) && (0..<1_000_000_000).contains(nanos)
    }
}
