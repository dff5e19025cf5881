import OutageAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

/// Each resource's table and the query columns derived from it (see `OutageSchema`).
enum Tables {
    static let outages = Rows<OutageEvent>(table: "outages", kind: "outage") { outage in
        [
            ("status", Int64(outage.status.rawValue)), ("commodity", Int64(outage.commodity.rawValue)),
            ("cause", Int64(outage.cause.rawValue)), ("interruption_class", Int64(outage.interruptionClass.rawValue)),
            ("fault_asset_id", outage.faultAssetID), ("premises", delimited(outage.affectedPremiseIDs)),
            ("start_ms", outage.startTime.map(TimeColumns.milliseconds) ?? 0),
            ("end_ms", outage.endTime.map(TimeColumns.milliseconds)),
        ]
    }

    static let workOrders = Rows<WorkOrder>(table: "work_orders", kind: "work order") { order in
        [
            ("status", Int64(order.status.rawValue)), ("kind", Int64(order.kind.rawValue)),
            ("priority", Int64(order.priority.rawValue)), ("asset_id", order.assetID), ("outage_id", order.outageID),
            ("crew_id", order.crewID), ("premise_id", order.premiseID),
            ("create_ms", order.createTime.map(TimeColumns.milliseconds) ?? 0),
            ("due_ms", order.dueTime.map(TimeColumns.milliseconds) ?? Int64.max),
        ]
    }

    static let crews = Rows<Crew>(table: "crews", kind: "crew") { crew in
        [
            ("status", Int64(crew.status.rawValue)),
            ("skills_mask", crew.skills.reduce(Int64(0)) { $0 | skillBit($1) }),
            ("latitude_e7", crew.lastPosition.map { Int64($0.latitudeE7) }),
            ("longitude_e7", crew.lastPosition.map { Int64($0.longitudeE7) }),
        ]
    }

    static let dispatches = Rows<CrewDispatch>(table: "crew_dispatches", kind: "crew dispatch") { dispatch in
        [
            ("crew_id", dispatch.crewID), ("work_order_id", dispatch.workOrderID),
            ("active", Int64(dispatch.finishTime == nil ? 1 : 0)),
            ("assign_ms", dispatch.assignTime.map(TimeColumns.milliseconds) ?? 0),
        ]
    }

    static let derDispatches = Rows<DerDispatch>(table: "der_dispatches", kind: "DER dispatch") { dispatch in
        [
            ("program_id", dispatch.programID), ("device_id", dispatch.deviceID), ("status", Int64(dispatch.status.rawValue)),
            ("window_start_ms", dispatch.window?.startTime.map(TimeColumns.milliseconds) ?? 0),
            ("window_end_ms", dispatch.window?.endTime.map(TimeColumns.milliseconds) ?? 0),
        ]
    }

    static let auditRecords = Rows<AuditRecord>(table: "audit_records", kind: "audit record") { record in
        [
            ("record_ms", record.recordTime.map(TimeColumns.milliseconds) ?? 0), ("subject", record.subject),
            ("decision", Int64(record.decision.rawValue)), ("caller_business_unit", Int64(record.callerBusinessUnit.rawValue)),
            ("customer_id", record.customerID), ("resource_id", record.resourceID), ("method", record.method),
        ]
    }

    /// "\nA\nB\n": every id is wrapped in newlines, so one `LIKE '%\nid\n%'` finds it exactly.
    static func delimited(_ ids: [String]) -> String { ids.isEmpty ? "" : "\n" + ids.joined(separator: "\n") + "\n" }

    /// One bit per skill number (validated skills are 1…9; `& 63` only keeps the shift defined).
    static func skillBit(_ skill: CrewSkill) -> Int64 { 1 << Int64(skill.rawValue & 63) }
}
