import RPCCore

/// Exact integer arithmetic for milli-unit energy values: sums that refuse to overflow, and
/// division rounded half-to-even (the proto's rounding for ratios and the median).
enum FixedPoint {
    /// The largest magnitude a single reading may have: 10^12 milli-units (a billion kWh in one
    /// interval). Far above any real meter, and small enough that sums over millions of
    /// intervals and interpolation products stay inside Int64.
    static let maximumReadingMilli: Int64 = 1_000_000_000_000

    /// `numerator / denominator` rounded half to even; `denominator` must be positive.
    static func divideHalfEven(_ numerator: Int64, _ denominator: Int64) -> Int64 {
        precondition(denominator > 0, "divideHalfEven needs a positive denominator")
        var quotient = numerator / denominator
        var remainder = numerator % denominator
        if remainder < 0 {  // floor division, so the remainder is in 0..<denominator
            quotient -= 1
            remainder += denominator
        }
        let twice = remainder * 2
        if twice > denominator || (twice == denominator && quotient % 2 != 0) { quotient += 1 }
        return quotient
    }

    /// `a + b`, or OUT_OF_RANGE instead of a trap when a sum leaves Int64.
    static func add(_ a: Int64, _ b: Int64) throws -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw RPCError(code: .outOfRange, message: "an energy sum exceeds the 64-bit range") }
        return sum
    }

    /// The value at step `step` of `steps` on the straight line from `from` to `to`, rounded
    /// half to even: linear interpolation for gap filling.
    static func interpolate(from: Int64, to: Int64, step: Int64, steps: Int64) -> Int64 {
        from + divideHalfEven((to - from) * step, steps)
    }

    /// How many multiples of `length` lie in [start, end).
    static func multiples(of length: Int64, from start: Int64, to end: Int64) -> Int64 {
        guard end > start else { return 0 }
        return ceilDiv(end, length) - ceilDiv(start, length)
    }

    /// The smallest multiple of `length` at or after `value`.
    static func alignUp(_ value: Int64, to length: Int64) -> Int64 { ceilDiv(value, length) * length }

    static func ceilDiv(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && (value > 0) == (divisor > 0)) ? quotient + 1 : quotient
    }
}
