import RPCCore

/// The network topology's one invariant: following parents from any asset ends at a root, so
/// the "feeds" relation is a forest and every downstream walk terminates.
public enum TopologyRules {
    /// Refuses a parent that would make `assetID` its own ancestor: walks up from the proposed
    /// parent (through `parentOf`, the stored parents) and fails if the walk meets the asset.
    /// The walk is bounded by `limit` so corrupt data cannot hang a write.
    public static func checkNoCycle(
        assetID: String, newParentID: String, limit: Int = 1_000_000, parentOf: (String) throws -> String?
    ) throws {
        guard !newParentID.isEmpty else { return }
        guard newParentID != assetID else {
            throw Fail.precondition("asset '\(assetID)' cannot be its own parent")
        }
        var current = newParentID
        for _ in 0..<limit {
            guard let parent = try parentOf(current), !parent.isEmpty else { return }
            if parent == assetID {
                throw Fail.precondition(
                    "setting parent of asset '\(assetID)' to '\(newParentID)' would create a cycle: '\(newParentID)' is downstream of '\(assetID)'")
            }
            current = parent
        }
        throw RPCError(code: .internal, message: "the topology above '\(newParentID)' is deeper than \(limit) levels")
    }
}
