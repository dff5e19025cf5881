/// The `grpc-timeout` header: at most 8 ASCII digits followed by a unit
/// (H hours, M minutes, S seconds, m millis, u micros, n nanos).
enum GRPCTimeout {
    static let maxDigits = 8
    private static let maxValue: Int64 = 99_999_999

    /// Parses a header value; nil when malformed (the server then treats the call as invalid).
    static func parse(_ value: some StringProtocol) -> Duration? {
        let utf8 = Array(value.utf8)
        guard utf8.count >= 2, utf8.count <= maxDigits + 1 else { return nil }
        var amount: Int64 = 0
        for byte in utf8.dropLast() {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            amount = amount * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        switch utf8.last! {
        case UInt8(ascii: "H"): return .seconds(amount * 3600)
        case UInt8(ascii: "M"): return .seconds(amount * 60)
        case UInt8(ascii: "S"): return .seconds(amount)
        case UInt8(ascii: "m"): return .milliseconds(amount)
        case UInt8(ascii: "u"): return .microseconds(amount)
        case UInt8(ascii: "n"): return .nanoseconds(amount)
        default: return nil
        }
    }

    /// Formats a timeout in the finest unit that fits in 8 digits, rounding up so the peer never
    /// sees a shorter deadline than ours. Non-positive durations become `1n` (already expired).
    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, seconds > 0 || attoseconds > 0 else { return "1n" }
        // Nanoseconds, saturating far beyond anything 8 digits of hours can express.
        let nanos: Int64 = seconds > 1_000_000_000_000 ? .max
            : seconds * 1_000_000_000 + (attoseconds + 999_999_999) / 1_000_000_000
        let units: [(divisor: Int64, suffix: Character)] = [
            (1, "n"), (1_000, "u"), (1_000_000, "m"), (1_000_000_000, "S"),
            (60_000_000_000, "M"), (3_600_000_000_000, "H"),
        ]
        for unit in units {
            let value = nanos / unit.divisor + (nanos % unit.divisor == 0 ? 0 : 1)
            if value <= maxValue { return "\(value)\(unit.suffix)" }
        }
        return "\(maxValue)H"
    }
}
