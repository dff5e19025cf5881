import OutageAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit

/// Outage lifecycle: REPORTED → CONFIRMED → RESTORED, or REPORTED → RESTORED.
public enum OutageRules {
    public static let defaultMomentaryThresholdMilliseconds: Int64 = 5 * 60 * 1000

    public static func forReport(_ input: OutageEvent, id: String, now: Timestamp) throws(RPCError) -> OutageEvent {
        var outage = input
        try Check.specified(outage.commodity, "outage.commodity")
        try Check.timestamp(outage.startTime, "outage.start_time", required: true)
        try checkFields(outage)
        outage.outageID = id
        outage.status = .reported
        outage.endTime = nil
        outage.interruptionClass = .unspecified
        outage.createTime = now
        outage.updateTime = now
        return outage
    }

    static func checkFields(_ outage: OutageEvent) throws(RPCError) {
        try Check.known(outage.cause, "outage.cause")
        try Check.text(outage.causeDetail, "outage.cause_detail")
        try Check.optionalID(outage.faultAssetID, prefix: "AST", "outage.fault_asset_id")
        guard outage.affectedPremiseIDs.count <= 100_000 else { throw Fail.invalid("outage.affected_premise_ids has too many ids") }
        for (index, id) in outage.affectedPremiseIDs.enumerated() {
            try Check.id(id, prefix: "PRM", "outage.affected_premise_ids[\(index)]")
        }
        guard outage.customersAffected >= 0 else { throw Fail.invalid("outage.customers_affected must not be negative") }
        try Check.timestamp(outage.estimatedRestorationTime, "outage.estimated_restoration_time")
        try Check.text(outage.reportedBy, "outage.reported_by", max: Check.maxNameLength)
        try Check.text(outage.notes, "outage.notes")
    }

    static let updatable: [String: @Sendable (inout OutageEvent, OutageEvent) -> Void] = [
        "cause": { $0.cause = $1.cause },
        "cause_detail": { $0.causeDetail = $1.causeDetail },
        "fault_asset_id": { $0.faultAssetID = $1.faultAssetID },
        "affected_premise_ids": { $0.affectedPremiseIDs = $1.affectedPremiseIDs },
        "customers_affected": { $0.customersAffected = $1.customersAffected },
        "estimated_restoration_time": { $0.estimatedRestorationTime = $1.estimatedRestorationTime },
        "notes": { $0.notes = $1.notes },
    ]

    public static func checkMask(_ mask: FieldMask?) throws(RPCError) {
        guard let mask, !mask.paths.isEmpty else { throw Fail.invalid("update_mask is required, e.g. estimated_restoration_time") }
        for path in mask.paths where updatable[path] == nil {
            throw Fail.invalid("update_mask path '\(path)' is not updatable; updatable: \(updatable.keys.sorted().joined(separator: ", "))")
        }
    }

    public static func updated(_ current: OutageEvent, patch: OutageEvent, mask: FieldMask?, now: Timestamp) throws(RPCError) -> OutageEvent {
        try checkMask(mask)
        guard current.status != .restored else {
            throw Fail.precondition("outage '\(current.outageID)' is RESTORED and can no longer be updated")
        }
        var outage = current
        for path in mask?.paths ?? [] { updatable[path]?(&outage, patch) }
        try checkFields(outage)
        outage.updateTime = now
        return outage
    }

    /// Restores at `end`: classifies the interruption by its duration against the threshold.
    public static func restored(_ current: OutageEvent, end: Timestamp, now: Timestamp) throws(RPCError) -> OutageEvent {
        let start = current.startTime ?? Timestamp()
        guard end >= start else { throw Fail.invalid("end_time is before the outage's start_time") }
        var outage = current
        outage.status = .restored
        outage.endTime = end
        let duration = TimeColumns.milliseconds(end) - TimeColumns.milliseconds(start)
        outage.interruptionClass = duration < defaultMomentaryThresholdMilliseconds ? .momentary : .sustained
        outage.updateTime = now
        return outage
    }
}
