import AssetAPI
import ProtoRuntime
import RPCCore
import ServiceKit

/// Reading and writing the `assets` and `maintenance_records` rows.
enum AssetRows {
    static func columns(_ asset: Asset) -> [(String, any SQLValueConvertible)] {
        [
            ("parent_id", asset.parentAssetID), ("display_name", asset.displayName),
            ("asset_class", Int64(asset.assetClass.rawValue)), ("asset_type", Int64(asset.assetType.rawValue)),
            ("status", Int64(asset.status.rawValue)), ("regulatory_scope", Int64(asset.regulatoryScope.rawValue)),
            ("commodity", Int64(asset.commodity.rawValue)), ("premise_id", asset.premiseID),
            ("manufacturer", asset.attributes?.manufacturer ?? ""),
            ("latitude_e7", asset.location?.point.map { Int64($0.latitudeE7) }),
            ("longitude_e7", asset.location?.point.map { Int64($0.longitudeE7) }),
            ("create_ms", asset.createTime.map(TimeColumns.milliseconds) ?? 0),
        ]
    }

    static func insert(_ asset: Asset, _ tx: any StoreWriting) throws {
        let columns = columns(asset)
        let names = (["id", "body"] + columns.map(\.0)).joined(separator: ", ")
        let marks = Array(repeating: "?", count: columns.count + 2).joined(separator: ", ")
        try tx.execute(
            "INSERT INTO assets (\(names)) VALUES (\(marks))",
            parameters: [asset.assetID, asset.protobufBytes()] + columns.map(\.1))
    }

    static func update(_ asset: Asset, _ tx: any StoreWriting) throws {
        let columns = columns(asset)
        let assignments = (["body"] + columns.map(\.0)).map { "\($0) = ?" }.joined(separator: ", ")
        try tx.execute(
            "UPDATE assets SET \(assignments) WHERE id = ?",
            parameters: [asset.protobufBytes()] + columns.map(\.1) + [asset.assetID])
    }

    static func fetch(_ id: String, _ db: any StoreReading) throws -> Asset? {
        try db.queryOne("SELECT body FROM assets WHERE id = ?", id).map { try decode($0, "body") }
    }

    /// The asset, or NOT_FOUND naming the id (FAILED_PRECONDITION when it is referenced as `field`).
    static func require(_ id: String, _ db: any StoreReading, referencedAs field: String? = nil) throws -> Asset {
        if let asset = try fetch(id, db) { return asset }
        if let field { throw Fail.precondition("\(field) '\(id)' does not exist: no such asset") }
        throw Fail.notFound("asset", id)
    }

    static func insertMaintenance(_ record: MaintenanceRecord, _ tx: any StoreWriting) throws {
        try tx.execute(
            "INSERT INTO maintenance_records (id, body, asset_id, kind, perform_ms, next_due) VALUES (?, ?, ?, ?, ?, ?)",
            record.maintenanceRecordID, record.protobufBytes(), record.assetID, Int64(record.kind.rawValue),
            record.performTime.map(TimeColumns.milliseconds) ?? 0, record.nextDueDate.map(TimeColumns.ordinal))
    }

    static func decode<Message: ProtoMessage>(_ row: Row, _ column: String) throws -> Message {
        let bytes: [UInt8] = try row.get(column)
        do {
            return try Message(protobufBytes: bytes)
        } catch {
            throw RPCError(code: .dataLoss, message: "a stored \(Message.self) is unreadable")
        }
    }
}
