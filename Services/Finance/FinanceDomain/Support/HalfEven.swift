/// Money rounding, stated once for the whole service: exact integer arithmetic, then one
/// rounding to the nearest integer with ties to even (banker's rounding), as the contract says.
enum HalfEven {
    /// `numerator ÷ denominator` rounded half-even. `denominator` must be positive.
    static func divide(_ numerator: Int128, by denominator: Int128) -> Int128 {
        precondition(denominator > 0, "rounding needs a positive denominator")
        var quotient = numerator / denominator  // truncates toward zero
        let remainder = numerator - quotient * denominator
        let twice = remainder.magnitude * 2
        let away: Bool
        if twice > denominator.magnitude {
            away = true
        } else if twice == denominator.magnitude {
            away = quotient % 2 != 0  // a tie: move only if that makes the result even
        } else {
            away = false
        }
        if away { quotient += remainder < 0 ? -1 : 1 }
        return quotient
    }

    /// The same, as an Int64 that must fit (money in minor units); nil when it does not.
    static func divideToInt64(_ numerator: Int128, by denominator: Int128) -> Int64? {
        Int64(exactly: divide(numerator, by: denominator))
    }
}
