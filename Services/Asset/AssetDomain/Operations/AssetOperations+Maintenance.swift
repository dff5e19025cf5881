import AssetAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit

extension AssetOperations {
    public func createMaintenanceRecord(_ request: CreateMaintenanceRecordRequest) async throws -> CreateMaintenanceRecordResponse {
        let record = try MaintenanceRules.forCreate(
            try required(request.record, "record"), id: ids.make(prefix: "MNT"), now: clock.timestamp)
        return try await store.idempotentWrite(request, requestID: \.requestID, method: "CreateMaintenanceRecord") { tx in
            _ = try AssetRows.require(record.assetID, tx, referencedAs: "record.asset_id")
            try AssetRows.insertMaintenance(record, tx)
            return .with { $0.record = record }
        }
    }

    public func listMaintenanceRecords(_ request: ListMaintenanceRecordsRequest) async throws -> ListMaintenanceRecordsResponse {
        try Check.id(request.assetID, prefix: "AST", "asset_id")
        try Check.known(request.kind, "kind")
        var conditions = Conditions()
        conditions.add("asset_id = ?", .text(request.assetID))
        if request.kind != .unspecified { conditions.add("kind = ?", .integer(Int64(request.kind.rawValue))) }
        try conditions.addTimeRange(request.timeRange, column: "perform_ms", field: "time_range")
        let order = KeysetOrder(column: "perform_ms", isInteger: true, descending: true)
        let page = try PageRequest(
            method: "ListMaintenanceRecords",
            fields: ["asset_id": request.assetID, "kind": String(request.kind.rawValue), "time_range": PageQuery.text(of: request.timeRange)],
            pageSize: request.pageSize, pageToken: request.pageToken, codec: pages)
        let result = try await store.read { [conditions] db in
            _ = try AssetRows.require(request.assetID, db)
            return try page.read(db, select: "SELECT body, perform_ms, id FROM maintenance_records", where: conditions,
                                 order: order, codec: pages) { row -> MaintenanceRecord in try AssetRows.decode(row, "body") }
        }
        return .with {
            $0.records = result.items
            $0.nextPageToken = result.nextPageToken
        }
    }

    /// Due = the latest record's (by perform_time) next_due_date is on or before due_by.
    public func listAssetsDueForMaintenance(_ request: ListAssetsDueForMaintenanceRequest) async throws -> ListAssetsDueForMaintenanceResponse {
        let dueBy = try required(request.dueBy, "due_by")
        try Check.date(dueBy, "due_by")
        try Check.known(request.assetClass, "asset_class")
        var conditions = Conditions()
        conditions.add("next_due IS NOT NULL AND next_due <= ?", .integer(TimeColumns.ordinal(dueBy)))
        conditions.add("status != ?", .integer(Int64(AssetStatus.retired.rawValue)))
        if request.assetClass != .unspecified { conditions.add("asset_class = ?", .integer(Int64(request.assetClass.rawValue))) }
        let latest = """
            SELECT * FROM (
                SELECT a.id, a.body, a.status, a.asset_class, m.body AS record_body, m.next_due
                FROM assets a JOIN maintenance_records m ON m.id = (
                    SELECT id FROM maintenance_records WHERE asset_id = a.id ORDER BY perform_ms DESC, id DESC LIMIT 1))
            """
        let page = try PageRequest(
            method: "ListAssetsDueForMaintenance",
            fields: ["due_by": String(TimeColumns.ordinal(dueBy)), "asset_class": String(request.assetClass.rawValue)],
            pageSize: request.pageSize, pageToken: request.pageToken, codec: pages)
        let result = try await store.read { [conditions] db in
            try page.read(db, select: latest, where: conditions, order: KeysetOrder(column: "next_due", isInteger: true), codec: pages) { row in
                var due = MaintenanceDue()
                let record: MaintenanceRecord = try AssetRows.decode(row, "record_body")
                due.asset = try AssetRows.decode(row, "body") as Asset
                due.dueDate = record.nextDueDate
                due.lastMaintenance = record
                return due
            }
        }
        return .with {
            $0.due = result.items
            $0.nextPageToken = result.nextPageToken
        }
    }
}
