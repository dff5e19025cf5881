import FinanceAPI
import ProtoRuntime
import QuantumTypes
import RPCCore

/// Splits a cost pool between the regulated and non-regulated businesses so that the two
/// parts always add up to the pool exactly: the regulated part is rounded once (half-even)
/// and the non-regulated part is the remainder, so no minor unit is lost or invented.
public enum CostSplit {
    public static let partsPerMillion: Int64 = 1_000_000

    /// `pool × ppm ÷ 10^6` rounded half-even, and `pool − that`.
    public static func split(pool: Int64, regulatedPPM: Int64) -> (regulated: Int64, nonRegulated: Int64) {
        let regulated = Int64(HalfEven.divide(Int128(pool) * Int128(regulatedPPM), by: Int128(partsPerMillion)))
        return (regulated, pool - regulated)
    }

    /// The share in ppm that two given amounts represent, rounded half-even (0 for an empty pool).
    public static func share(regulated: Int64, pool: Int64) -> Int64 {
        guard pool != 0 else { return 0 }
        let ppm = HalfEven.divide(Int128(regulated) * Int128(partsPerMillion) * (pool < 0 ? -1 : 1), by: Int128(pool.magnitude))
        return Int64(ppm)
    }

    /// The allocation to store: validated, with both amounts and the share filled in.
    static func resolve(_ requested: CostAllocation, id: String, now: Timestamp) throws(RPCError) -> CostAllocation {
        var allocation = requested
        try FieldRules.text(allocation.costPool, "allocation.cost_pool", required: true)
        _ = try FieldRules.period(allocation.period, "allocation.period")
        try FieldRules.specified(allocation.method, "allocation.method")
        try FieldRules.text(allocation.basisNotes, "allocation.basis_notes")
        let pool = try FieldRules.money(allocation.poolAmount, "allocation.pool_amount")
        guard pool.minorUnits >= 0 else { throw Fail.invalid("allocation.pool_amount.minor_units must not be negative") }
        switch (allocation.regulatedAmount, allocation.nonRegulatedAmount) {
        case (nil, nil):
            guard (0...partsPerMillion).contains(allocation.regulatedSharePpm) else {
                throw Fail.invalid("allocation.regulated_share_ppm \(allocation.regulatedSharePpm) is outside 0–1000000")
            }
            let parts = split(pool: pool.minorUnits, regulatedPPM: allocation.regulatedSharePpm)
            allocation.regulatedAmount = Money.with { $0.currencyCode = pool.currencyCode; $0.minorUnits = parts.regulated }
            allocation.nonRegulatedAmount = Money.with { $0.currencyCode = pool.currencyCode; $0.minorUnits = parts.nonRegulated }
        case (let regulated?, let nonRegulated?):
            _ = try FieldRules.money(regulated, "allocation.regulated_amount", currency: pool.currencyCode)
            _ = try FieldRules.money(nonRegulated, "allocation.non_regulated_amount", currency: pool.currencyCode)
            guard regulated.minorUnits >= 0, nonRegulated.minorUnits >= 0 else {
                throw Fail.invalid("allocation.regulated_amount and non_regulated_amount must not be negative")
            }
            guard regulated.minorUnits.addingReportingOverflow(nonRegulated.minorUnits) == (pool.minorUnits, false) else {
                throw Fail.invalid(
                    "allocation.regulated_amount (\(regulated.minorUnits)) + non_regulated_amount (\(nonRegulated.minorUnits)) "
                        + "must equal pool_amount (\(pool.minorUnits))")
            }
            allocation.regulatedSharePpm = share(regulated: regulated.minorUnits, pool: pool.minorUnits)
        default:
            throw Fail.invalid("allocation: give both regulated_amount and non_regulated_amount, or neither and regulated_share_ppm")
        }
        allocation.allocationID = id
        allocation.createTime = now
        return allocation
    }
}
