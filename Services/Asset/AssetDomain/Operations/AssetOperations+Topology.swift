import AssetAPI
import ProtoRuntime
import RPCCore
import ServiceKit

extension AssetOperations {
    public func setParent(_ request: SetParentRequest) async throws -> SetParentResponse {
        try Check.id(request.assetID, prefix: "AST", "asset_id")
        try Check.optionalID(request.parentAssetID, prefix: "AST", "parent_asset_id")
        let now = clock.timestamp
        let asset = try await store.write { tx in
            var asset = try AssetRows.require(request.assetID, tx)
            if !request.parentAssetID.isEmpty {
                _ = try AssetRows.require(request.parentAssetID, tx, referencedAs: "parent_asset_id")
            }
            // Inside the write transaction: no other SetParent can slip a cycle in meanwhile.
            try TopologyRules.checkNoCycle(assetID: request.assetID, newParentID: request.parentAssetID) { id in
                try tx.scalar("SELECT parent_id FROM assets WHERE id = ?", id, as: String.self)
            }
            guard asset.parentAssetID != request.parentAssetID else { return asset }
            asset.parentAssetID = request.parentAssetID
            asset.updateTime = now
            try AssetRows.update(asset, tx)
            return asset
        }
        return .with { $0.asset = asset }
    }

    /// Breadth-first downstream, as one recursive query over the parent index: SQLite walks
    /// level by level from the asset, so the cost is the size of the subtree, not the network.
    public func getDownstream(_ request: GetDownstreamRequest) async throws -> GetDownstreamResponse {
        try Check.id(request.assetID, prefix: "AST", "asset_id")
        guard request.maxDepth >= 0 else { throw Fail.invalid("max_depth must not be negative") }
        try Check.known(request.assetClass, "asset_class")
        let policy = PageSizePolicy(defaultSize: 1000, maximumSize: 10_000)
        let page = try PageRequest(
            method: "GetDownstream",
            fields: ["asset_id": request.assetID, "max_depth": String(request.maxDepth), "asset_class": String(request.assetClass.rawValue)],
            pageSize: request.pageSize, pageToken: request.pageToken, codec: pages, policy: policy)
        var conditions = Conditions()
        if request.assetClass != .unspecified { conditions.add("asset_class = ?", .integer(Int64(request.assetClass.rawValue))) }
        let depthLimit = Int64(request.maxDepth)
        let walk = """
            WITH RECURSIVE downstream(id, depth) AS (
                SELECT id, 1 FROM assets WHERE parent_id = ?
                UNION ALL
                SELECT a.id, d.depth + 1 FROM assets a JOIN downstream d ON a.parent_id = d.id WHERE ? = 0 OR d.depth < ?
            )
            SELECT * FROM (SELECT a.id, a.parent_id, d.depth, a.asset_type, a.asset_class, a.status, a.premise_id, a.display_name
                           FROM downstream d JOIN assets a ON a.id = d.id)
            """
        let order = KeysetOrder(column: "depth", isInteger: true)
        let walkValues: [SQLValue] = [.text(request.assetID), .integer(depthLimit), .integer(depthLimit)]
        return try await store.read { [conditions] db in
            _ = try AssetRows.require(request.assetID, db)
            // The walk's own placeholders come first in the SQL, so they lead the bound values.
            let result = try page.read(db, select: walk, where: conditions.prefixed(by: walkValues), order: order, codec: pages) { row in
                try Self.node(row)
            }
            let total = try db.queryOne(
                "SELECT COUNT(*) FROM (\(walk)\(conditions.sql))", parameters: walkValues + conditions.values
            )?.get(0, as: Int64.self) ?? 0
            return .with {
                $0.nodes = result.items
                $0.nextPageToken = result.nextPageToken
                $0.totalSize = total
            }
        }
    }

    public func getUpstreamPath(_ request: GetUpstreamPathRequest) async throws -> GetUpstreamPathResponse {
        try Check.id(request.assetID, prefix: "AST", "asset_id")
        let path = try await store.read { db in
            var current = try AssetRows.require(request.assetID, db)
            var path: [Asset] = []
            var visited: Set<String> = [current.assetID]
            while !current.parentAssetID.isEmpty {
                guard visited.insert(current.parentAssetID).inserted else {
                    throw RPCError(code: .dataLoss, message: "the stored topology has a cycle through '\(current.parentAssetID)'")
                }
                current = try AssetRows.require(current.parentAssetID, db)
                path.append(current)
            }
            return path
        }
        return .with { $0.path = path }
    }

    static func node(_ row: Row) throws -> TopologyNode {
        var node = TopologyNode()
        node.assetID = try row.get("id")
        node.parentAssetID = try row.get("parent_id")
        node.depth = try row.get("depth", as: Int32.self)
        node.assetType = AssetType(rawValue: try row.get("asset_type", as: Int32.self))
        node.assetClass = AssetClass(rawValue: try row.get("asset_class", as: Int32.self))
        node.status = AssetStatus(rawValue: try row.get("status", as: Int32.self))
        node.premiseID = try row.get("premise_id")
        node.displayName = try row.get("display_name")
        return node
    }
}
