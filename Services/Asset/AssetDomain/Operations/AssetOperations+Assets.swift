import AssetAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit

extension AssetOperations {
    static let assetFilter = TextFilter(fields: [
        "attributes.manufacturer": .text("manufacturer"),
        "regulatory_scope": .enumeration("regulatory_scope", RegulatoryScope.self, prefix: "REGULATORY_SCOPE_"),
        "commodity": .enumeration("commodity", Commodity.self, prefix: "COMMODITY_"),
        "display_name": .text("display_name"),
    ])

    public func createAsset(_ request: CreateAssetRequest) async throws -> CreateAssetResponse {
        let asset = try AssetRules.forCreate(try required(request.asset, "asset"), id: ids.make(prefix: "AST"), now: clock.timestamp)
        return try await store.idempotentWrite(request, requestID: \.requestID, method: "CreateAsset") { tx in
            try AssetRows.insert(asset, tx)
            return .with { $0.asset = asset }
        }
    }

    public func getAsset(_ request: GetAssetRequest) async throws -> GetAssetResponse {
        try Check.id(request.assetID, prefix: "AST", "asset_id")
        let asset = try await store.read { db in try AssetRows.require(request.assetID, db) }
        return .with { $0.asset = asset }
    }

    public func batchGetAssets(_ request: BatchGetAssetsRequest) async throws -> BatchGetAssetsResponse {
        try Check.batch(request.assetIDs, prefix: "AST", "asset_ids")
        let distinct = request.assetIDs.uniqued()
        return try await store.read { db in
            var response = BatchGetAssetsResponse()
            for id in distinct {
                if let asset = try AssetRows.fetch(id, db) { response.assets.append(asset) } else { response.missingIDs.append(id) }
            }
            return response
        }
    }

    public func updateAsset(_ request: UpdateAssetRequest) async throws -> UpdateAssetResponse {
        let patch = try required(request.asset, "asset")
        try Check.id(patch.assetID, prefix: "AST", "asset.asset_id")
        _ = try AssetRules.paths(of: request.updateMask)
        let now = clock.timestamp
        let asset = try await store.write { tx in
            let updated = try AssetRules.updated(try AssetRows.require(patch.assetID, tx), patch: patch, mask: request.updateMask, now: now)
            try AssetRows.update(updated, tx)
            return updated
        }
        return .with { $0.asset = asset }
    }

    public func listAssets(_ request: ListAssetsRequest) async throws -> ListAssetsResponse {
        var conditions = Conditions()
        try Check.known(request.assetClass, "asset_class")
        try Check.known(request.assetType, "asset_type")
        try Check.known(request.status, "status")
        if request.assetClass != .unspecified { conditions.add("asset_class = ?", .integer(Int64(request.assetClass.rawValue))) }
        if request.assetType != .unspecified { conditions.add("asset_type = ?", .integer(Int64(request.assetType.rawValue))) }
        if request.status != .unspecified { conditions.add("status = ?", .integer(Int64(request.status.rawValue))) }
        if !request.premiseID.isEmpty {
            try Check.id(request.premiseID, prefix: "PRM", "premise_id")
            conditions.add("premise_id = ?", .text(request.premiseID))
        }
        if !request.parentAssetID.isEmpty {
            try Check.id(request.parentAssetID, prefix: "AST", "parent_asset_id")
            conditions.add("parent_id = ?", .text(request.parentAssetID))
        }
        if let bounds = request.bounds { try Self.addBounds(bounds, to: &conditions) }
        try Self.assetFilter.apply(request.filter, to: &conditions)
        let order: KeysetOrder
        switch request.orderBy.trimmingCharacters(in: .whitespaces) {
        case "", "asset_id": order = .byID
        case "display_name": order = KeysetOrder(column: "display_name")
        case "create_time": order = KeysetOrder(column: "create_ms", isInteger: true)
        case "create_time desc": order = KeysetOrder(column: "create_ms", isInteger: true, descending: true)
        default: throw Fail.invalid("order_by '\(request.orderBy)' is not one of: display_name, create_time, create_time desc")
        }
        var fingerprint = request
        fingerprint.pageSize = 0
        fingerprint.pageToken = ""
        let page = try PageRequest(
            method: "ListAssets", fields: ["request": fingerprint.protobufBytes().map { String($0) }.joined(separator: ",")],
            pageSize: request.pageSize, pageToken: request.pageToken, codec: pages)
        let result = try await store.read { [conditions] db in
            try page.read(db, select: "SELECT body, \(order.sortColumns.joined(separator: ", ")) FROM assets", where: conditions,
                          order: order, codec: pages) { row -> Asset in try AssetRows.decode(row, "body") }
        }
        return .with {
            $0.assets = result.items
            $0.nextPageToken = result.nextPageToken
        }
    }

    static func addBounds(_ bounds: BoundingBox, to conditions: inout Conditions) throws(RPCError) {
        guard let southWest = bounds.southWest, let northEast = bounds.northEast else {
            throw Fail.invalid("bounds needs both south_west and north_east")
        }
        try Check.point(southWest, "bounds.south_west")
        try Check.point(northEast, "bounds.north_east")
        guard southWest.latitudeE7 <= northEast.latitudeE7 else {
            throw Fail.invalid("bounds.south_west.latitude_e7 is north of bounds.north_east.latitude_e7")
        }
        conditions.add("latitude_e7 BETWEEN ? AND ?", .integer(Int64(southWest.latitudeE7)), .integer(Int64(northEast.latitudeE7)))
        // A box whose west edge is east of its east edge crosses the antimeridian.
        if southWest.longitudeE7 <= northEast.longitudeE7 {
            conditions.add("longitude_e7 BETWEEN ? AND ?", .integer(Int64(southWest.longitudeE7)), .integer(Int64(northEast.longitudeE7)))
        } else {
            conditions.add("longitude_e7 >= ? OR longitude_e7 <= ?", .integer(Int64(southWest.longitudeE7)), .integer(Int64(northEast.longitudeE7)))
        }
    }
}
