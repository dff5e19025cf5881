import FinanceAPI
import ProtoRuntime
import QuantumTypes
import RPCCore

/// Budget lines and their comparison: variance = forecast − planned, in basis points of the
/// plan rounded half-even, exact sums in one currency.
public enum BudgetRules {
    static func validate(_ line: BudgetLine) throws(RPCError) {
        _ = try FieldRules.period(line.period, "budget_line.period")
        try FieldRules.specified(line.businessUnit, "budget_line.business_unit")
        try FieldRules.text(line.line, "budget_line.line", required: true)
        try FieldRules.text(line.notes, "budget_line.notes")
        let planned = try FieldRules.money(line.planned, "budget_line.planned")
        _ = try FieldRules.money(line.forecast, "budget_line.forecast", currency: planned.currencyCode)
    }

    /// `variance ÷ planned` in basis points, half-even; 0 when nothing was planned.
    public static func basisPoints(variance: Int64, planned: Int64) -> Int64 {
        guard planned != 0 else { return 0 }
        let sign: Int128 = planned < 0 ? -1 : 1
        return Int64(HalfEven.divide(Int128(variance) * 10_000 * sign, by: Int128(planned.magnitude)))
    }

    /// One row per line plus the total; lines must share one currency (else FAILED_PRECONDITION).
    public static func compare(_ lines: [BudgetLine]) throws(RPCError) -> (rows: [BudgetVariance], total: BudgetVariance) {
        let currency = lines.first?.planned?.currencyCode ?? ""
        var plannedSum: Int64 = 0, forecastSum: Int64 = 0
        var rows: [BudgetVariance] = []
        for line in lines {
            guard line.planned?.currencyCode == currency, line.forecast?.currencyCode == currency else {
                throw Fail.precondition("budget lines of this comparison mix currencies (\(currency) and others); compare one currency at a time")
            }
            let planned = line.planned?.minorUnits ?? 0, forecast = line.forecast?.minorUnits ?? 0
            plannedSum = try add(plannedSum, planned)
            forecastSum = try add(forecastSum, forecast)
            rows.append(variance(businessUnit: line.businessUnit, line: line.line, planned: planned, forecast: forecast, currency: currency))
        }
        let total = variance(businessUnit: .unspecified, line: "", planned: plannedSum, forecast: forecastSum, currency: currency)
        return (rows, total)
    }

    static func variance(businessUnit: BusinessUnit, line: String, planned: Int64, forecast: Int64, currency: String) -> BudgetVariance {
        let difference = forecast &- planned
        let money = { (units: Int64) in Money.with { $0.currencyCode = currency; $0.minorUnits = units } }
        return .with {
            $0.businessUnit = businessUnit
            $0.line = line
            $0.planned = money(planned)
            $0.forecast = money(forecast)
            $0.variance = money(difference)
            $0.varianceBasisPoints = basisPoints(variance: difference, planned: planned)
        }
    }

    static func add(_ a: Int64, _ b: Int64) throws(RPCError) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw Fail.invalid("amounts overflow a 64-bit count of minor units") }
        return sum
    }
}
