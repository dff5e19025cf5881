import AssetDomain
import RPCCore
import XCTest

/// The cycle check on its own, over an in-memory parent map.
final class TopologyRulesTests: XCTestCase {
    // root ← a ← b ← c  (c's parent is b, and so on)
    let parents = ["a": "root", "b": "a", "c": "b", "root": ""]

    func testRefusesEveryDescendantAsParent() throws {
        for descendant in ["a", "b", "c"] {
            XCTAssertThrowsError(try TopologyRules.checkNoCycle(assetID: "root", newParentID: descendant) { parents[$0] }) { error in
                XCTAssertEqual((error as? RPCError)?.code, .failedPrecondition)
                XCTAssertTrue((error as? RPCError)?.message.contains(descendant) ?? false)
            }
        }
        XCTAssertThrowsError(try TopologyRules.checkNoCycle(assetID: "b", newParentID: "b") { parents[$0] })
    }

    func testAllowsMovesThatKeepATree() throws {
        try TopologyRules.checkNoCycle(assetID: "c", newParentID: "root") { parents[$0] }
        try TopologyRules.checkNoCycle(assetID: "a", newParentID: "") { parents[$0] }
    }
}
