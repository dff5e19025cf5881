import Foundation
import OutageAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit

extension OutageOperations {
    static let outageFilter = TextFilter(fields: [
        "status": .enumeration("status", OutageStatus.self, prefix: "OUTAGE_STATUS_"),
        "cause": .enumeration("cause", OutageCause.self, prefix: "OUTAGE_CAUSE_"),
        "interruption_class": .enumeration("interruption_class", InterruptionClass.self, prefix: "INTERRUPTION_CLASS_"),
    ])

    public func reportOutage(_ request: ReportOutageRequest) async throws -> ReportOutageResponse {
        let outage = try OutageRules.forReport(try required(request.outage, "outage"), id: ids.make(prefix: "OUT"), now: clock.timestamp)
        let response = try await store.idempotentWrite(request, requestID: \.requestID, method: "ReportOutage") { tx in
            let saved = try Self.recordChange(outage, .reported, tx)
            return ReportOutageResponse.with { $0.outage = saved }
        }
        changes.publish(response.outage?.changeSequence ?? 0)
        return response
    }

    public func confirmOutage(_ request: ConfirmOutageRequest) async throws -> ConfirmOutageResponse {
        try Check.id(request.outageID, prefix: "OUT", "outage_id")
        try Check.known(request.cause, "cause")
        try Check.optionalID(request.faultAssetID, prefix: "AST", "fault_asset_id")
        let now = clock.timestamp
        let outage = try await store.write { tx -> OutageEvent in
            var outage = try Tables.outages.require(request.outageID, tx)
            switch outage.status {
            case .confirmed: return outage
            case .restored: throw Fail.precondition("outage '\(request.outageID)' is RESTORED; only a REPORTED outage can be confirmed")
            default: break
            }
            outage.status = .confirmed
            if request.cause != .unspecified { outage.cause = request.cause }
            if !request.faultAssetID.isEmpty { outage.faultAssetID = request.faultAssetID }
            outage.updateTime = now
            return try Self.recordChange(outage, .confirmed, tx)
        }
        changes.publish(outage.changeSequence)
        return .with { $0.outage = outage }
    }

    public func updateOutage(_ request: UpdateOutageRequest) async throws -> UpdateOutageResponse {
        let patch = try required(request.outage, "outage")
        try Check.id(patch.outageID, prefix: "OUT", "outage.outage_id")
        try OutageRules.checkMask(request.updateMask)
        let now = clock.timestamp
        let outage = try await store.write { tx in
            let updated = try OutageRules.updated(try Tables.outages.require(patch.outageID, tx), patch: patch, mask: request.updateMask, now: now)
            return try Self.recordChange(updated, .updated, tx)
        }
        changes.publish(outage.changeSequence)
        return .with { $0.outage = outage }
    }

    public func restoreOutage(_ request: RestoreOutageRequest) async throws -> RestoreOutageResponse {
        try Check.id(request.outageID, prefix: "OUT", "outage_id")
        try Check.timestamp(request.endTime, "end_time")
        let now = clock.timestamp
        let outage = try await store.write { tx -> OutageEvent in
            let current = try Tables.outages.require(request.outageID, tx)
            guard current.status != .restored else { return current }
            return try Self.recordChange(try OutageRules.restored(current, end: request.endTime ?? now, now: now), .restored, tx)
        }
        changes.publish(outage.changeSequence)
        return .with { $0.outage = outage }
    }

    public func getOutage(_ request: GetOutageRequest) async throws -> GetOutageResponse {
        try Check.id(request.outageID, prefix: "OUT", "outage_id")
        let outage = try await store.read { db in try Tables.outages.require(request.outageID, db) }
        return .with { $0.outage = outage }
    }

    public func listOutages(_ request: ListOutagesRequest) async throws -> ListOutagesResponse {
        var conditions = Conditions()
        if request.openOnly { conditions.add("status IN (1, 2)") }
        if let range = request.timeRange {
            try Self.checkRange(range, "time_range")
            // Overlap of [start, end or now) with the range.
            if let end = range.endTime { conditions.add("start_ms < ?", .integer(TimeColumns.milliseconds(end))) }
            if let start = range.startTime { conditions.add("end_ms IS NULL OR end_ms > ?", .integer(TimeColumns.milliseconds(start))) }
        }
        try Check.batch(request.premiseIDs, prefix: "PRM", "premise_ids")
        if !request.premiseIDs.isEmpty {
            // One JSON array parameter, not one `premises LIKE ?` per id: SQLite parses an
            // OR chain as a tree one level deeper per term and refuses one of ~1,000 terms
            // (SQLITE_MAX_EXPR_DEPTH), which the 1,000 ids this call accepts would reach. The
            // ids were checked above (prefix + Crockford base32), so they need no escaping in
            // JSON and hold no LIKE wildcards.
            conditions.add(
                "EXISTS (SELECT 1 FROM json_each(?) AS wanted WHERE outages.premises LIKE '%' || char(10) || wanted.value || char(10) || '%')",
                .text("[" + request.premiseIDs.map { "\"\($0)\"" }.joined(separator: ",") + "]"))
        }
        if !request.faultAssetID.isEmpty {
            try Check.id(request.faultAssetID, prefix: "AST", "fault_asset_id")
            conditions.add("fault_asset_id = ?", .text(request.faultAssetID))
        }
        try Check.known(request.commodity, "commodity")
        if request.commodity != .unspecified { conditions.add("commodity = ?", .integer(Int64(request.commodity.rawValue))) }
        try Self.outageFilter.apply(request.filter, to: &conditions)
        let order: KeysetOrder
        switch request.orderBy.trimmingCharacters(in: .whitespaces) {
        case "", "start_time desc": order = KeysetOrder(column: "start_ms", isInteger: true, descending: true)
        case "start_time": order = KeysetOrder(column: "start_ms", isInteger: true)
        default: throw Fail.invalid("order_by '\(request.orderBy)' is not one of: start_time desc, start_time")
        }
        var fingerprint = request
        fingerprint.pageSize = 0
        fingerprint.pageToken = ""
        let page = try PageRequest(method: "ListOutages", fields: ["request": Self.fingerprint(fingerprint)],
                                   pageSize: request.pageSize, pageToken: request.pageToken, codec: pages)
        let result = try await store.read { [conditions] db in
            try page.read(db, select: "SELECT body, start_ms, id FROM outages", where: conditions, order: order, codec: pages) {
                try Tables.outages.decode($0)
            }
        }
        return .with {
            $0.outages = result.items
            $0.nextPageToken = result.nextPageToken
        }
    }

    /// Saves `outage` and appends its change to the log in the same transaction; the log's
    /// sequence becomes the outage's change_sequence.
    static func recordChange(_ outage: OutageEvent, _ kind: OutageChangeKind, _ tx: any StoreWriting) throws -> OutageEvent {
        var outage = outage
        try tx.execute(
            "INSERT INTO outage_changes (outage_id, kind, change_ms, body) VALUES (?, ?, ?, ?)",
            outage.outageID, Int64(kind.rawValue), outage.updateTime.map(TimeColumns.milliseconds) ?? 0, [UInt8]())
        outage.changeSequence = tx.lastInsertedRowID
        try tx.execute("UPDATE outage_changes SET body = ? WHERE sequence = ?", outage.protobufBytes(), outage.changeSequence)
        try Tables.outages.save(outage.outageID, outage, tx)
        return outage
    }

    static func checkRange(_ range: TimeRange, _ field: String) throws(RPCError) {
        try Check.timestamp(range.startTime, "\(field).start_time")
        try Check.timestamp(range.endTime, "\(field).end_time")
        if let start = range.startTime, let end = range.endTime, end < start {
            throw Fail.invalid("\(field).end_time is before \(field).start_time")
        }
    }

    static func fingerprint(_ message: some ProtoMessage) -> String {
        message.protobufBytes().lowercaseHex
    }
}
