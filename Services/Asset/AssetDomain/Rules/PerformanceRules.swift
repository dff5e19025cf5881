import AssetAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

/// Checks one performance sample and summarises a metric's samples.
public enum PerformanceRules {
    /// Why a sample row is refused, or nil when it may be stored.
    static func rejection(_ sample: PerformanceSample) -> (reason: RejectionReason, field: String, message: String)? {
        guard !sample.assetID.isEmpty else { return (.missingField, "asset_id", "asset_id is required") }
        guard !sample.metric.isEmpty else { return (.missingField, "metric", "metric is required") }
        guard isSnakeCase(sample.metric) else {
            return (.invalidValue, "metric", "metric '\(sample.metric)' must be lower snake case, e.g. oil_temperature")
        }
        guard let value = sample.value else { return (.missingField, "value", "value is required") }
        guard MeasurementUnit.knownCases.contains(value.unit), value.unit != .unspecified else {
            return (.invalidValue, "value.unit", "value.unit is required and must be a known unit")
        }
        guard let time = sample.sampleTime else { return (.missingField, "sample_time", "sample_time is required") }
        guard TimeColumns.isValid(time), TimeColumns.nanosecondRange.contains(time.seconds) else {
            return (.invalidValue, "sample_time", "sample_time must be between 1677 and 2262")
        }
        return nil
    }

    static func isSnakeCase(_ metric: String) -> Bool {
        guard metric.count <= 100, let first = metric.first, first.isASCII, first.isLowercase else { return false }
        // ASCII only: Character.isNumber also admits "½" and non-Latin digits.
        return metric.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
    }

    /// Mean of the milli-values, rounded half-even, computed on a 128-bit sum so no stream of
    /// Int64 samples can overflow it.
    public static func meanHalfEven(sum: Int128, count: Int64) -> Int64 {
        precondition(count > 0)
        let divisor = Int128(count)
        var quotient = sum / divisor
        let remainder = sum % divisor
        let twice = remainder.magnitude * 2
        if twice > divisor.magnitude || (twice == divisor.magnitude && quotient % 2 != 0) {
            quotient += sum < 0 ? -1 : 1
        }
        return Int64(quotient)
    }
}

/// Running statistics of one metric, fed samples in time order.
struct PerformanceAccumulator {
    let assetID: String
    let metric: String
    let unit: MeasurementUnit
    var count: Int64 = 0
    var minimum = Int64.max
    var maximum = Int64.min
    var sum: Int128 = 0
    var firstNanos: Int64 = 0
    var lastNanos: Int64 = 0
    var lastValue: Int64 = 0

    mutating func add(milliValue: Int64, sampleNanos: Int64) {
        if count == 0 { firstNanos = sampleNanos }
        count += 1
        minimum = min(minimum, milliValue)
        maximum = max(maximum, milliValue)
        sum += Int128(milliValue)
        lastNanos = sampleNanos
        lastValue = milliValue
    }

    var summary: PerformanceSummary {
        .with {
            $0.assetID = assetID
            $0.metric = metric
            $0.unit = unit
            $0.sampleCount = count
            $0.minMilliValue = minimum
            $0.maxMilliValue = maximum
            $0.meanMilliValue = PerformanceRules.meanHalfEven(sum: sum, count: count)
            $0.firstSampleTime = TimeColumns.timestamp(nanoseconds: firstNanos)
            $0.lastSampleTime = TimeColumns.timestamp(nanoseconds: lastNanos)
            $0.lastMilliValue = lastValue
        }
    }
}
