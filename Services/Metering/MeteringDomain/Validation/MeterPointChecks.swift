import MeteringAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

/// The rules a new meter point must satisfy before it is stored.
enum MeterPointChecks {
    static let secondsPerDay: Int64 = 86_400

    /// The meter point to store: required fields present, defaults applied, output-only
    /// fields cleared. Throws INVALID_ARGUMENT naming the field.
    static func normalizedForCreate(_ input: MeterPoint) throws -> MeterPoint {
        var point = input
        guard ResourceID.isWellFormed(point.premiseID, prefix: "PRM") else {
            throw MeteringError.invalid("meter_point.premise_id: '\(point.premiseID)' is not a premise id (PRM-…)")
        }
        if !point.meterAssetID.isEmpty && !ResourceID.isWellFormed(point.meterAssetID, prefix: "AST") {
            throw MeteringError.invalid("meter_point.meter_asset_id: '\(point.meterAssetID)' is not an asset id (AST-…)")
        }
        guard point.commodity.isSpecified else { throw MeteringError.invalid("meter_point.commodity is required (ELECTRIC or GAS)") }
        guard point.unit.isSpecified else { throw MeteringError.invalid("meter_point.unit is required, e.g. KWH or THERM") }
        guard unitFits(point.unit, point.commodity) else {
            throw MeteringError.invalid("meter_point.unit: \(point.unit.displayName) does not measure \(point.commodity.displayName)")
        }
        try checkIntervalLength(point.intervalLength)
        guard point.regulatoryScope.isSpecified else {
            throw MeteringError.invalid("meter_point.regulatory_scope is required (REGULATED or NON_REGULATED)")
        }
        _ = try LocalCalendar(timeZone: point.timeZone, field: "meter_point.time_zone")
        if point.purpose == .unspecified { point.purpose = .revenue }
        guard point.purpose.isSpecified else { throw MeteringError.invalid("meter_point.purpose: unknown value \(point.purpose.rawValue)") }
        if point.status == .unspecified { point.status = .active }
        guard point.status.isSpecified, point.status != .removed else {
            throw MeteringError.invalid("meter_point.status: a new meter point is PLANNED, ACTIVE or INACTIVE")
        }
        if let install = point.installTime, !install.isValid {
            throw MeteringError.invalid("meter_point.install_time is out of range")
        }
        point.removalTime = nil
        return point
    }

    /// Interval length: whole seconds, positive, dividing one day (so intervals tile each day).
    static func checkIntervalLength(_ length: ProtoDuration?) throws {
        guard let length else { throw MeteringError.invalid("meter_point.interval_length is required, e.g. 900s") }
        guard length.nanos == 0, length.seconds > 0, secondsPerDay % length.seconds == 0 else {
            throw MeteringError.invalid(
                "meter_point.interval_length: \(length.seconds)s is not a whole number of seconds dividing one day (e.g. 300s, 900s, 3600s)")
        }
    }

    /// Electric meters measure energy; gas meters measure gas energy or volume.
    static func unitFits(_ unit: EnergyUnit, _ commodity: Commodity) -> Bool {
        switch commodity {
        case .electric: [.wh, .kwh, .mwh, .varh, .kvarh].contains(unit)
        case .gas: [.therm, .dekatherm, .ccf, .mcf, .cubicMeter].contains(unit)
        default: false
        }
    }

    /// Status changes: any known status except back out of REMOVED (terminal).
    static func checkTransition(from current: MeterPointStatus, to next: MeterPointStatus, id: String) throws {
        guard next.isSpecified else { throw MeteringError.invalid("status is required (PLANNED, ACTIVE, INACTIVE or REMOVED)") }
        guard current != .removed else {
            throw MeteringError.precondition("meter point '\(id)' is REMOVED; REMOVED is terminal")
        }
    }
}
