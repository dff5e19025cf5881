import OutageAPI
import RPCCore

/// Whether a sample value lies outside an alarm limit's normal range.
public enum AlarmRules {
    public static func check(_ limits: [AlarmLimit]) throws(RPCError) {
        guard (1...100).contains(limits.count) else { throw Fail.invalid("limits must have 1 to 100 entries") }
        for (index, limit) in limits.enumerated() {
            switch limit.quantity {
            case nil: throw Fail.invalid("limits[\(index)].quantity is required")
            case .gridQuantity(let quantity)?: try Check.specified(quantity, "limits[\(index)].grid_quantity")
            case .pipelineQuantity(let quantity)?: try Check.specified(quantity, "limits[\(index)].pipeline_quantity")
            }
            try Check.batch(limit.assetIDs, prefix: "AST", "limits[\(index)].asset_ids")
            switch limit.bounds {
            case nil: throw Fail.invalid("limits[\(index)].bounds is required")
            case .nominalBand(let band)?:
                guard band.toleranceBasisPoints > 0 else { throw Fail.invalid("limits[\(index)].nominal_band.tolerance_basis_points must be > 0") }
            case .absoluteBounds(let bounds)?:
                if let low = bounds.minMilliValue, let high = bounds.maxMilliValue, low > high {
                    throw Fail.invalid("limits[\(index)].absolute_bounds.min_milli_value is above max_milli_value")
                }
            }
        }
    }

    /// ABOVE_LIMIT, BELOW_LIMIT, or nil when the value is within the limit (bounds inclusive).
    public static func violation(of limit: AlarmLimit, value: Int64) -> AlarmKind? {
        let low: Int64?, high: Int64?
        switch limit.bounds {
        case .nominalBand(let band)?:
            // Tolerance in basis points of nominal, exact in 128-bit.
            let delta = Int64(clamping: Int128(band.nominalMilliValue).magnitude * Int128(band.toleranceBasisPoints).magnitude / 10_000)
            (low, high) = (band.nominalMilliValue - delta, band.nominalMilliValue + delta)
        case .absoluteBounds(let bounds)?: (low, high) = (bounds.minMilliValue, bounds.maxMilliValue)
        case nil: return nil
        }
        if let high, value > high { return .aboveLimit }
        if let low, value < low { return .belowLimit }
        return nil
    }
}
