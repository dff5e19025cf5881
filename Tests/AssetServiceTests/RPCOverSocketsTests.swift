import AssetAPI
import AssetDomain
import AssetService
import Foundation
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceTestSupport
import XCTest

/// quantum.asset.v1.AssetService topology through a real `GRPCServer` on a loopback port,
/// called with our `GRPCChannel` and the generated `AssetServiceClient`.
final class AssetRPCOverSocketsTests: XCTestCase {
    private var service: LoopbackService!
    private var client: AssetServiceClient { AssetServiceClient(channel: service.channel) }

    override func setUp() async throws { service = try await .asset() }
    override func tearDown() async throws { await service.stop() }

    private func create(_ name: String, _ type: AssetType = .transformer) async throws -> String {
        try await client.createAsset(.with { $0.asset = AssetFixtures.asset(name, type) }).asset!.assetID
    }

    func testChainCyclesRejectedAndUpstreamPath() async throws {
        let client = self.client
        // substation ← feeder ← transformer ← meter
        let substation = try await create("Substation 1", .substation)
        let feeder = try await create("Feeder 12", .feeder)
        let transformer = try await create("Transformer 12-7", .transformer)
        let meter = try await create("Meter 12-7-1", .transformer)
        for (child, parent) in [(feeder, substation), (transformer, feeder), (meter, transformer)] {
            let moved = try await client.setParent(.with { $0.assetID = child; $0.parentAssetID = parent }).asset!
            XCTAssertEqual(moved.parentAssetID, parent)
        }
        try await XCTAssertEqualAsync(try await client.getAsset(.with { $0.assetID = meter }).asset?.parentAssetID, transformer)

        // Every descendant of the substation (and the substation itself) is refused as its parent.
        for descendant in [feeder, transformer, meter] {
            await XCTAssertStatus(.failedPrecondition, descendant) {
                _ = try await client.setParent(.with { $0.assetID = substation; $0.parentAssetID = descendant })
            }
        }
        await XCTAssertStatus(.failedPrecondition, "own parent") {
            _ = try await client.setParent(.with { $0.assetID = feeder; $0.parentAssetID = feeder })
        }
        await XCTAssertStatus(.failedPrecondition, meter) {
            _ = try await client.setParent(.with { $0.assetID = feeder; $0.parentAssetID = meter })
        }
        // The refused moves changed nothing.
        try await XCTAssertEqualAsync(try await client.getAsset(.with { $0.assetID = substation }).asset?.parentAssetID, "")
        try await XCTAssertEqualAsync(try await client.getAsset(.with { $0.assetID = feeder }).asset?.parentAssetID, substation)
        // A missing parent is a reference to nothing (FAILED_PRECONDITION, as the service maps
        // missing referenced resources); a missing subject asset is NOT_FOUND.
        let missing = "AST-" + String(repeating: "0", count: 26)
        await XCTAssertStatus(.failedPrecondition, "does not exist") {
            _ = try await client.setParent(.with { $0.assetID = feeder; $0.parentAssetID = missing })
        }
        await XCTAssertStatus(.notFound, missing) {
            _ = try await client.setParent(.with { $0.assetID = missing; $0.parentAssetID = feeder })
        }

        let upstream = try await client.getUpstreamPath(.with { $0.assetID = meter }).path.map(\.assetID)
        XCTAssertEqual(upstream, [transformer, feeder, substation])
        try await XCTAssertEqualAsync(try await client.getUpstreamPath(.with { $0.assetID = substation }).path.first?.assetID, nil)

        let downstream = try await client.getDownstream(.with { $0.assetID = substation })
        XCTAssertEqual(downstream.nodes.map(\.assetID), [feeder, transformer, meter])
        XCTAssertEqual(downstream.nodes.map(\.depth), [1, 2, 3])
        XCTAssertEqual(downstream.totalSize, 3)

        // A legal move (meter under the feeder) and back to a root.
        _ = try await client.setParent(.with { $0.assetID = meter; $0.parentAssetID = feeder })
        try await XCTAssertEqualAsync(try await client.getUpstreamPath(.with { $0.assetID = meter }).path.map(\.assetID).joined(separator: ","), "\(feeder),\(substation)")
        _ = try await client.setParent(.with { $0.assetID = meter; $0.parentAssetID = "" })
        try await XCTAssertEqualAsync(try await client.getUpstreamPath(.with { $0.assetID = meter }).path.first?.assetID, nil)
    }


    /// A 2,000-asset ternary tree, eight levels deep (root at level 0, leaves at level 7):
    /// asset i's parent is asset (i - 1) / 3. Every descendant comes back exactly once, at its
    /// depth, across pages; the upstream path of the last leaf climbs its 7 ancestors.
    func testDownstreamOfAGeneratedTreeReturnsEveryDescendantOnce() async throws {
        let client = self.client
        let count = 2_000
        let ids = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            var ids = [String](repeating: "", count: count)
            var next = 0
            for _ in 0..<16 {
                let i = next; next += 1
                group.addTask { (i, try await client.createAsset(.with { $0.asset = AssetFixtures.asset("node \(i)") }).asset!.assetID) }
            }
            while let (i, id) = try await group.next() {
                ids[i] = id
                if next < count {
                    let j = next; next += 1
                    group.addTask { (j, try await client.createAsset(.with { $0.asset = AssetFixtures.asset("node \(j)") }).asset!.assetID) }
                }
            }
            return ids
        }
        XCTAssertEqual(Set(ids).count, count)
        let parentIndex: (Int) -> Int = { ($0 - 1) / 3 }
        let level: (Int) -> Int32 = { i in
            var depth: Int32 = 0, n = i
            while n > 0 { n = (n - 1) / 3; depth += 1 }
            return depth
        }
        XCTAssertEqual(level(count - 1), 7)
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 1
            for _ in 0..<16 where next < count {
                let i = next; next += 1
                let (child, parent) = (ids[i], ids[parentIndex(i)]); group.addTask { _ = try await client.setParent(.with { $0.assetID = child; $0.parentAssetID = parent }) }
            }
            while try await group.next() != nil {
                if next < count {
                    let i = next; next += 1
                    let (child, parent) = (ids[i], ids[parentIndex(i)]); group.addTask { _ = try await client.setParent(.with { $0.assetID = child; $0.parentAssetID = parent }) }
                }
            }
        }

        // The root's downstream: all 1,999 others, paged 300 at a time.
        let started = ContinuousClock.now
        var nodes: [TopologyNode] = []
        var token = ""
        var pages = 0
        repeat {
            let response = try await client.getDownstream(.with { $0.assetID = ids[0]; $0.pageSize = 300; $0.pageToken = token })
            XCTAssertEqual(response.totalSize, Int64(count - 1))
            nodes += response.nodes
            token = response.nextPageToken
            pages += 1
        } while !token.isEmpty && pages < 100
        let elapsed = ContinuousClock.now - started
        XCTAssertEqual(pages, 7)  // ⌈1,999 ÷ 300⌉
        XCTAssertEqual(nodes.count, count - 1, "every descendant")
        XCTAssertEqual(Set(nodes.map(\.assetID)).count, count - 1, "no descendant twice")
        XCTAssertEqual(Set(nodes.map(\.assetID)), Set(ids.dropFirst()))
        let index = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        for node in nodes {
            let i = try XCTUnwrap(index[node.assetID])
            XCTAssertEqual(node.depth, level(i), node.assetID)
            XCTAssertEqual(node.parentAssetID, ids[parentIndex(i)], node.assetID)
        }
        XCTAssertEqual(nodes.map(\.depth), nodes.map(\.depth).sorted(), "breadth-first")
        XCTAssertLessThan(elapsed, .seconds(5), "2,000-asset downstream walk took \(elapsed)")

        // One page of 10,000 returns the same set; max_depth 2 stops at the grandchildren (3 + 9).
        let whole = try await client.getDownstream(.with { $0.assetID = ids[0]; $0.pageSize = 10_000 })
        XCTAssertEqual(Set(whole.nodes.map(\.assetID)), Set(ids.dropFirst()))
        XCTAssertEqual(whole.nextPageToken, "")
        let shallow = try await client.getDownstream(.with { $0.assetID = ids[0]; $0.maxDepth = 2 })
        XCTAssertEqual(Set(shallow.nodes.map(\.assetID)), Set(ids[1...12]))

        // A subtree: asset 1's descendants are exactly the indices whose ancestor chain meets 1.
        let expectedUnderOne = Set((2..<count).filter { i in
            var n = i
            while n > 1 { n = parentIndex(n) }
            return n == 1
        }.map { ids[$0] })
        let underOne = try await client.getDownstream(.with { $0.assetID = ids[1]; $0.pageSize = 10_000 })
        XCTAssertEqual(underOne.nodes.count, expectedUnderOne.count)
        XCTAssertEqual(Set(underOne.nodes.map(\.assetID)), expectedUnderOne)
        let leaf = try await client.getDownstream(.with { $0.assetID = ids[count - 1] })
        XCTAssertEqual(leaf.nodes, [])
        XCTAssertEqual(leaf.totalSize, 0)

        // Upstream from the last leaf to the root.
        var chain: [String] = []
        var n = count - 1
        while n > 0 { n = parentIndex(n); chain.append(ids[n]) }
        XCTAssertEqual(chain.count, 7)
        let upstream = try await client.getUpstreamPath(.with { $0.assetID = ids[count - 1] }).path.map(\.assetID)
        XCTAssertEqual(upstream, chain)

        // Closing the loop from the root to any leaf is refused.
        await XCTAssertStatus(.failedPrecondition, ids[count - 1]) {
            _ = try await client.setParent(.with { $0.assetID = ids[0]; $0.parentAssetID = ids[count - 1] })
        }
    }
}
