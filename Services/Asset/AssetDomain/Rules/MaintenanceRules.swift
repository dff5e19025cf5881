import AssetAPI
import ProtoRuntime
import RPCCore

/// What a maintenance record needs before it is appended to an asset's history.
public enum MaintenanceRules {
    public static func forCreate(_ input: MaintenanceRecord, id: String, now: Timestamp) throws(RPCError) -> MaintenanceRecord {
        var record = input
        try Check.id(record.assetID, prefix: "AST", "record.asset_id")
        try Check.specified(record.kind, "record.kind")
        try Check.timestamp(record.performTime, "record.perform_time", required: true)
        try Check.optionalID(record.crewID, prefix: "CRW", "record.crew_id")
        try Check.optionalID(record.workOrderID, prefix: "WO", "record.work_order_id")
        try Check.text(record.notes, "record.notes")
        try Check.date(record.nextDueDate, "record.next_due_date")
        record.maintenanceRecordID = id
        record.createTime = now
        return record
    }
}
