import Foundation
import GatewayAPI
import MetricsTestKit
@testable import GatewayCore
import RPCCore
import Transport
import XCTest

/// The customer overview with a guessed second hop (`OverviewKeyCache`), against the five real
/// services: whatever the guess — right, covering more than the customer has, stale and
/// missing ids, or absent — the answer is the one the two-hop overview gives.
final class OverviewGuessTests: XCTestCase {
    private static let fixture = SeededMesh()
    private var seed: MeshSeed!
    private var clients: GatewayClients!

    override func setUp() async throws {
        let mesh: TestMesh
        (mesh, seed) = try await Self.fixture.started()
        clients = try GatewayClients(endpoints: Dictionary(uniqueKeysWithValues: DownstreamService.allCases.map {
            ($0, [Endpoint(host: "127.0.0.1", port: mesh.port(of: $0))])
        }))
    }

    override func tearDown() {
        clients?.close()
    }

    override class func tearDown() {
        fixture.stop()
        super.tearDown()
    }

    private let now = Date()

    private func overview(_ customerID: String, cache: OverviewKeyCache?) async throws -> CustomerOverview {
        let call = DownstreamCall(callerDeadline: .after(.seconds(10)), callerMetadata: [:])
        var overview = try await FanOut(clients: clients, call: call, overviewKeys: cache)
            .customerOverview(.with { $0.customerID = customerID }, now: now)
        // The read times are the only fields two reads of the same data may differ in.
        overview.generateTime = nil
        for index in overview.accounts.indices { overview.accounts[index].balance?.asOfTime = nil }
        return overview
    }

    private func key(_ customerID: String) -> OverviewKeyCache.Key { .init(caller: "", customerID: customerID) }

    private var anaKeys: OverviewKeys {
        OverviewKeys(accountIDs: [seed.anaRegulated, seed.anaNonRegulated], premiseIDs: [seed.premise1])
    }

    private func secondHops(_ metrics: TestMetrics) throws -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for hop in OverviewKeyCache.SecondHop.allCases {
            let counter = try metrics.expectCounter("gateway_overview_second_hop_total", [("made", hop.rawValue)])
            counts[hop.rawValue] = counter.values.reduce(0, +)
        }
        return counts
    }

    func testAnOverviewRemembersTheIdsItSawAndTheNextOneAnswersTheSame() async throws {
        let cold = try await overview(seed.ana, cache: nil)
        let metrics = TestMetrics()
        let cache = OverviewKeyCache(metricsFactory: metrics)
        let first = try await overview(seed.ana, cache: cache)
        XCTAssertEqual(first, cold)
        let remembered = try XCTUnwrap(cache.keys(for: key(seed.ana)))
        XCTAssertEqual(Set(remembered.accountIDs), Set(anaKeys.accountIDs))
        XCTAssertEqual(remembered.premiseIDs, [seed.premise1])
        let guessed = try await overview(seed.ana, cache: cache)
        XCTAssertEqual(guessed, cold)
        XCTAssertEqual(guessed.accounts.count, 2)
        XCTAssertEqual(guessed.premises.first?.meterPoints.first?.consumption?.totalDelivered?.milliValue, MeshSeed.deliveredMilli)
        XCTAssertEqual(try secondHops(metrics), ["after_summary": 1, "beside_summary": 1, "partly_after_summary": 0])
    }

    func testAGuessCoveringAnotherCustomersIdsShowsNoneOfThem() async throws {
        let cold = try await overview(seed.ana, cache: nil)
        let cache = OverviewKeyCache()
        var wide = anaKeys
        wide.accountIDs.append(seed.boRegulated)
        wide.premiseIDs.append(seed.premise2)
        cache.remember(wide, for: key(seed.ana))
        let guessed = try await overview(seed.ana, cache: cache)
        XCTAssertEqual(guessed, cold)
        XCTAssertFalse(guessed.accounts.contains { $0.account?.accountID == seed.boRegulated })
        XCTAssertFalse(guessed.premises.contains { $0.premise?.premiseID == seed.premise2 })
        XCTAssertFalse(guessed.premises.flatMap(\.meterPoints).contains { $0.meterPoint?.meterPointID == seed.meterPoint2 })
        XCTAssertEqual(cache.keys(for: key(seed.ana)).map { Set($0.accountIDs) }, Set(anaKeys.accountIDs), "the fresh ids replace the guess")
    }

    func testAStaleGuessMissingIdsStillGivesTheWholeAnswer() async throws {
        let cold = try await overview(seed.ana, cache: nil)
        for stale in [
            OverviewKeys(accountIDs: [seed.anaRegulated]),
            OverviewKeys(accountIDs: [seed.boRegulated], premiseIDs: [seed.premise2]),
            OverviewKeys(),
        ] {
            let metrics = TestMetrics()
            let cache = OverviewKeyCache(metricsFactory: metrics)
            cache.remember(stale, for: key(seed.ana))
            let guessed = try await overview(seed.ana, cache: cache)
            XCTAssertEqual(guessed, cold, "guess \(stale)")
            XCTAssertEqual(try secondHops(metrics)["partly_after_summary"], 1, "guess \(stale)")
        }
    }

    /// Products come with the summary; only those it did not carry (agreements past its first
    /// page, or an older customer-service without agreement_products) are asked for.
    func testProductsAreAskedForOnlyWhenTheSummaryDidNotCarryThem() async throws {
        let call = DownstreamCall(callerDeadline: .after(.seconds(10)), callerMetadata: [:])
        let lookup = ProductLookup(clients: clients, call: call)
        let missing = "PRD-" + String(repeating: "0", count: 26)
        let ids = [seed.regulatedProduct, seed.chargerProduct, missing]
        let asked = await lookup.products(ids: ids)
        XCTAssertEqual(asked.lookup(seed.chargerProduct).0?.productID, seed.chargerProduct)
        XCTAssertEqual(asked.lookup(missing).1.code, 5, "NOT_FOUND for a product that does not exist")
        let regulated = try XCTUnwrap(asked.lookup(seed.regulatedProduct).0)

        var carried = regulated
        carried.displayName = "as the summary carried it"
        let mixed = await lookup.products(ids: ids, known: [carried])
        XCTAssertEqual(mixed.lookup(seed.regulatedProduct).0?.displayName, "as the summary carried it", "not asked again")
        XCTAssertEqual(mixed.lookup(seed.chargerProduct).0, asked.lookup(seed.chargerProduct).0)
        XCTAssertEqual(mixed.lookup(missing).1.code, 5)

        // With every product carried, nothing is asked: an unreachable customer-service is no matter.
        let unreachable = try GatewayClients(endpoints: Dictionary(uniqueKeysWithValues: DownstreamService.allCases.map {
            ($0, [Endpoint(host: "127.0.0.1", port: 1)])
        }))
        defer { unreachable.close() }
        let offline = await ProductLookup(clients: unreachable, call: call).products(ids: [seed.regulatedProduct], known: [carried])
        XCTAssertEqual(offline.section.status.state, .ok)
        XCTAssertEqual(offline.lookup(seed.regulatedProduct).0, carried)
    }

    func testAnUnknownCustomerFailsAndIsForgotten() async throws {
        let cache = OverviewKeyCache()
        let missing = "CUS-" + String(repeating: "0", count: 26)
        cache.remember(anaKeys, for: key(missing))
        do {
            _ = try await overview(missing, cache: cache)
            XCTFail("an unknown customer is NOT_FOUND")
        } catch {
            XCTAssertEqual(RPCError(from: error).code, .notFound, "\(error)")
        }
        XCTAssertNil(cache.keys(for: key(missing)))
    }
}
