import AssetAPI
@testable import AssetDomain
import Foundation
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceTestSupport
import XCTest

/// A 10,000-asset network, eight levels below its substation, answered over a real loopback
/// socket. The assets are written straight into the store (through the service's own rules and
/// row writer, in one transaction): the service has no bulk create, and 20,000 single-row
/// CreateAsset + SetParent commits would test the disk rather than the topology queries.
///
/// Shape (index i, ids in index order): levels 0–7 form a complete ternary tree (parent of i is
/// (i − 1) ÷ 3; level l starts at index (3^l − 1) ÷ 2, so level 7 is 1,093…3,279); the other
/// 6,720 assets are level-8 meters spread round-robin over the 2,187 level-7 service points.
final class LargeTopologyTests: XCTestCase {
    private var service: LoopbackService!
    private var client: AssetServiceClient { AssetServiceClient(channel: service.channel) }

    override func setUp() async throws { service = try await .asset() }
    override func tearDown() async throws { await service.stop() }

    private static let count = 10_000
    private static let completeLevels = 3_280  // indices 0..3,279: levels 0–7
    private static let levelSevenStart = 1_093
    private static let levelSevenCount = 2_187

    private static func id(_ index: Int) -> String { "AST-" + String(format: "%026d", index) }

    private static func parent(_ index: Int) -> Int {
        index < completeLevels ? (index - 1) / 3 : levelSevenStart + (index - completeLevels) % levelSevenCount
    }

    private static func level(_ index: Int) -> Int32 {
        var depth: Int32 = 0, n = index
        while n > 0 { n = parent(n); depth += 1 }
        return depth
    }

    private static let types: [AssetType] = [.substation, .feeder, .switch, .switch, .switch, .transformer, .transformer, .servicePoint, .electricMeter]

    private func seed() async throws {
        let now = Timestamp(seconds: 1_740_960_000)
        let assets = try (0..<Self.count).map { index in
            let level = Int(Self.level(index))
            var asset = try AssetRules.forCreate(
                AssetFixtures.asset("node \(index)", Self.types[level], level == 8 ? .meter : .distribution), id: Self.id(index), now: now)
            asset.parentAssetID = index == 0 ? "" : Self.id(Self.parent(index))
            asset.status = .inService
            return asset
        }
        try await service.store.write { tx in
            for asset in assets { try AssetRows.insert(asset, tx) }
        }
    }

    func testDownstreamOfTheRootReturnsAll9999OnceAcrossPages() async throws {
        try await seed()
        let client = self.client
        XCTAssertEqual(Self.level(Self.count - 1), 8)

        let started = ContinuousClock.now
        var nodes: [TopologyNode] = []
        var token = ""
        var pages = 0
        repeat {
            // page_size 0 = the default 1,000.
            let page = try await client.getDownstream(.with { $0.assetID = Self.id(0); $0.pageToken = token })
            XCTAssertEqual(page.totalSize, Int64(Self.count - 1))
            nodes += page.nodes
            token = page.nextPageToken
            pages += 1
        } while !token.isEmpty && pages < 50
        let elapsed = ContinuousClock.now - started
        XCTAssertEqual(pages, 10)  // ⌈9,999 ÷ 1,000⌉
        XCTAssertEqual(nodes.count, Self.count - 1, "every descendant")
        XCTAssertEqual(Set(nodes.map(\.assetID)).count, Self.count - 1, "no descendant twice")
        XCTAssertEqual(Set(nodes.map(\.assetID)), Set((1..<Self.count).map(Self.id)))
        for node in nodes {
            let index = try XCTUnwrap(Int(node.assetID.dropFirst(4)))
            XCTAssertEqual(node.depth, Self.level(index), node.assetID)
            XCTAssertEqual(node.parentAssetID, Self.id(Self.parent(index)), node.assetID)
        }
        // Breadth-first: by depth, then asset id.
        let order = nodes.map { "\($0.depth)|\($0.assetID)" }
        XCTAssertEqual(order, order.sorted())
        XCTAssertLessThan(elapsed, .seconds(15), "10 pages of a 10,000-asset downstream took \(elapsed)")
        print("10,000-asset root downstream, 10 pages: \(elapsed)")

        // Only meters (level 8) are returned, though the walk passes through every level.
        let meters = try await client.getDownstream(.with { $0.assetID = Self.id(0); $0.assetClass = .meter; $0.pageSize = 10_000 })
        XCTAssertEqual(meters.totalSize, 6_720)
        XCTAssertEqual(Set(meters.nodes.map(\.assetID)), Set((Self.completeLevels..<Self.count).map(Self.id)))
        XCTAssertTrue(meters.nodes.allSatisfy { $0.depth == 8 && $0.assetType == .electricMeter })
        // max_depth 3: 3 + 9 + 27.
        let shallow = try await client.getDownstream(.with { $0.assetID = Self.id(0); $0.maxDepth = 3; $0.pageSize = 10_000 })
        XCTAssertEqual(shallow.totalSize, 39)
        XCTAssertEqual(Set(shallow.nodes.map(\.assetID)), Set((1...39).map(Self.id)))
    }

    func testFeederSubtreeAndUpstreamPathOfALeaf() async throws {
        try await seed()
        let client = self.client
        // Feeder 1's subtree: every index whose ancestor chain passes through 1.
        let expected = Set((2..<Self.count).filter { index in
            var n = index
            while n > 1 { n = Self.parent(n) }
            return n == 1
        }.map(Self.id))
        // Levels 2–7 under it: 3 + 9 + 27 + 81 + 243 + 729 = 1,092. Its 729 service points are
        // level-7 offsets 0…728; 6,720 meters = 3 × 2,187 + 159 dealt round-robin, so offsets
        // 0…158 have 4 meters and the rest 3: 159 × 4 + 570 × 3 = 2,346.
        XCTAssertEqual(expected.count, 1_092 + 2_346)
        var nodes: [TopologyNode] = []
        var token = ""
        repeat {
            let page = try await client.getDownstream(.with { $0.assetID = Self.id(1); $0.pageSize = 700; $0.pageToken = token })
            XCTAssertEqual(page.totalSize, Int64(expected.count))
            nodes += page.nodes
            token = page.nextPageToken
        } while !token.isEmpty && nodes.count <= Self.count
        XCTAssertEqual(nodes.count, expected.count)
        XCTAssertEqual(Set(nodes.map(\.assetID)), expected)
        XCTAssertEqual(nodes.first?.depth, 1)
        XCTAssertEqual(nodes.last?.depth, 7, "a level-8 meter is 7 below its level-1 feeder")

        // The last leaf's path: its parent first, up to the root (the leaf itself excluded).
        let leaf = Self.count - 1
        var chain: [String] = []
        var n = leaf
        while n > 0 { n = Self.parent(n); chain.append(Self.id(n)) }
        let path = try await client.getUpstreamPath(.with { $0.assetID = Self.id(leaf) }).path
        XCTAssertEqual(path.map(\.assetID), chain)
        XCTAssertEqual(path.count, 8)
        XCTAssertEqual(path.first?.assetType, .servicePoint)
        XCTAssertEqual(path.last?.assetType, .substation)
        XCTAssertEqual(path.last?.parentAssetID, "")
        let leafDownstream = try await client.getDownstream(.with { $0.assetID = Self.id(leaf) })
        XCTAssertEqual(leafDownstream.totalSize, 0)

        // Hanging the root under its deepest leaf would close a loop of nine.
        await XCTAssertStatus(.failedPrecondition, Self.id(leaf)) {
            _ = try await client.setParent(.with { $0.assetID = Self.id(0); $0.parentAssetID = Self.id(leaf) })
        }
        try await XCTAssertEqualAsync(try await client.getAsset(.with { $0.assetID = Self.id(0) }).asset?.parentAssetID, "")
    }
}
