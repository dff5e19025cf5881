import MeteringAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

/// The key of one DER telemetry sample: (device, metric, sample time).
struct DerSampleKey: Hashable, Sendable {
    let deviceID: String
    let metric: Int32
    let sampleMs: Int64
}

/// The per-row rules of `RecordDerTelemetry`.
enum DerChecks {
    /// The unit each metric is reported in (the proto names it per metric).
    static func unit(of metric: DerMetric) -> MeasurementUnit? {
        switch metric {
        case .powerImport, .powerExport: .kilowatt
        case .stateOfCharge: .percent
        case .setpointTemperature, .indoorTemperature: .celsius
        case .energyImported, .energyExported: .kilowattHour
        case .voltage: .volt
        case .availability: .count
        default: nil
        }
    }

    static func check(_ sample: DerTelemetrySample, nowMs: Int64) -> Result<(DerSampleKey, Int64), RowProblem> {
        guard !sample.deviceID.isEmpty else { return .failure(RowProblem(.missingField, "device_id", "device_id is required")) }
        guard ResourceID.isWellFormed(sample.deviceID, prefix: "AST") else {
            return .failure(RowProblem(.invalidValue, "device_id", "device_id '\(sample.deviceID)' is not an asset id (AST-…)"))
        }
        guard sample.premiseID.isEmpty || ResourceID.isWellFormed(sample.premiseID, prefix: "PRM") else {
            return .failure(RowProblem(.invalidValue, "premise_id", "premise_id '\(sample.premiseID)' is not a premise id (PRM-…)"))
        }
        guard sample.deviceType == .unspecified || sample.deviceType.isSpecified else {
            return .failure(RowProblem(.invalidValue, "device_type", "device_type \(sample.deviceType.rawValue) is unknown"))
        }
        guard let expectedUnit = unit(of: sample.metric) else {
            return .failure(RowProblem(.missingField, "metric", "metric is required, e.g. POWER_IMPORT"))
        }
        guard let value = sample.value else { return .failure(RowProblem(.missingField, "value", "value is required")) }
        guard value.unit == .unspecified || value.unit == expectedUnit else {
            return .failure(
                RowProblem(.unitMismatch, "value.unit", "\(sample.metric.displayName) is reported in \(expectedUnit.displayName), not \(value.unit.displayName)"))
        }
        guard let time = sample.sampleTime else { return .failure(RowProblem(.missingField, "sample_time", "sample_time is required")) }
        guard time.isValid else { return .failure(RowProblem(.invalidValue, "sample_time", "sample_time is out of range")) }
        guard time.epochMilliseconds <= nowMs + ReadingChecks.allowedClockSkewSeconds * 1000 else {
            return .failure(RowProblem(.futureTimestamp, "sample_time", "sample_time \(time.seconds)s is in the future"))
        }
        return .success((DerSampleKey(deviceID: sample.deviceID, metric: sample.metric.rawValue, sampleMs: time.epochMilliseconds), value.milliValue))
    }
}
