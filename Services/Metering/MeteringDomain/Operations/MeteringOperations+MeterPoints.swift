import MeteringAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

extension MeteringOperations {
    /// Creates a meter point. When customer-service is configured the premise must exist
    /// there (FAILED_PRECONDITION otherwise); without it only the id's shape is checked.
    public func createMeterPoint(_ request: CreateMeterPointRequest) async throws -> CreateMeterPointResponse {
        guard let input = request.meterPoint else { throw MeteringError.invalid("meter_point is required") }
        var point = try MeterPointChecks.normalizedForCreate(input)
        if let premises, try await !premises.premiseExists(point.premiseID) {
            throw MeteringError.precondition("meter_point.premise_id '\(point.premiseID)' does not exist in customer-service")
        }
        point.meterPointID = ids.make(prefix: "MTR")
        point.createTime = Timestamp(epochMilliseconds: clock.epochMilliseconds())
        let created = point
        return try await store.idempotentWrite(request, requestID: \.requestID, method: "CreateMeterPoint") { tx in
            try MeterPointTable.insert(created, tx)
            return CreateMeterPointResponse.with { $0.meterPoint = created }
        }
    }

    public func getMeterPoint(_ request: GetMeterPointRequest) async throws -> GetMeterPointResponse {
        let point = try await meterPoint(request.meterPointID)
        return .with { $0.meterPoint = point.resource }
    }

    /// Lists by premise and/or meter asset and the filter, ordered by id, keyset-paged.
    public func listMeterPoints(_ request: ListMeterPointsRequest) async throws -> ListMeterPointsResponse {
        for (ids, field) in [(request.premiseIDs, "premise_ids"), (request.meterAssetIDs, "meter_asset_ids")] where ids.count > 1000 {
            throw MeteringError.invalid("\(field): at most 1000 ids, got \(ids.count)")
        }
        var conditions = SQLConditions()
        conditions.add("premise_id", in: request.premiseIDs)
        conditions.add("meter_asset_id", in: request.meterAssetIDs)
        for term in try FilterTerms(parsing: request.filter, allowed: ["status", "commodity", "purpose"]).terms {
            let number: Int32 = switch term.field {
            case "status": try MeterPointStatus.parse(term.value, field: "filter status").rawValue
            case "commodity": try Commodity.parse(term.value, field: "filter commodity").rawValue
            default: try MeterPointPurpose.parse(term.value, field: "filter purpose").rawValue
            }
            conditions.add("\(term.field) = ?", .integer(Int64(number)))
        }
        let query = PageQuery(method: "ListMeterPoints", fields: [
            "premise_ids": request.premiseIDs.joined(separator: ","), "meter_asset_ids": request.meterAssetIDs.joined(separator: ","),
            "filter": request.filter,
        ])
        let size = try PageSizePolicy().resolve(request.pageSize)
        if let cursor = try pages.cursor(from: request.pageToken, for: query) {
            guard cursor.count == 1 else { throw MeteringError.invalid("page_token does not fit this list; start again without it") }
            conditions.add("id > ?", .text(cursor[0]))
        }
        let rows = try await store.read { [conditions] db in try Self.meterPoints(where: conditions, limit: size + 1, db).map(\.resource) }
        return .with {
            $0.meterPoints = Array(rows.prefix(size))
            $0.nextPageToken = rows.count > size ? pages.makeToken(cursor: [rows[size - 1].meterPointID], for: query) : ""
        }
    }

    /// The meter points matching `conditions`, by id, at most `limit`, in the caller's read.
    static func meterPoints(where conditions: SQLConditions, limit: Int, _ db: any StoreReading) throws -> [StoredMeterPoint] {
        let sql = "SELECT seq, body FROM meter_points\(conditions.whereClause) ORDER BY id LIMIT ?"
        return try db.query(sql, parameters: conditions.parameters + [SQLValue.integer(Int64(limit))]).map(MeterPointTable.decode)
    }

    /// Changes the status; REMOVED stamps removal_time (effective_time, or now) and is terminal.
    public func changeMeterPointStatus(_ request: ChangeMeterPointStatusRequest) async throws -> ChangeMeterPointStatusResponse {
        try Self.checkMeterPointID(request.meterPointID)
        if let effective = request.effectiveTime, !effective.isValid { throw MeteringError.invalid("effective_time is out of range") }
        let effective = request.effectiveTime ?? Timestamp(epochMilliseconds: clock.epochMilliseconds())
        return try await store.write { tx in
            var point = try MeterPointTable.require(request.meterPointID, tx).resource
            try MeterPointChecks.checkTransition(from: point.status, to: request.status, id: point.meterPointID)
            point.status = request.status
            if request.status == .removed { point.removalTime = effective }
            try MeterPointTable.update(point, tx)
            return .with { $0.meterPoint = point }
        }
    }
}
