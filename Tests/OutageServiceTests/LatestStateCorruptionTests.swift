import OutageAPI
import RPCCore
import ServiceKit
import ServiceTestSupport
import XCTest

/// A sample row whose column no longer decodes (written behind the service's back) makes
/// GetLatestGridState / GetLatestPipelineState fail with DATA_LOSS naming the table, asset and
/// column, instead of answering a made-up 0; healthy assets still read as stored.
final class LatestStateCorruptionTests: XCTestCase {
    private var service: LoopbackService!
    private var client: OutageServiceClient { OutageServiceClient(channel: service.channel) }

    override func setUp() async throws { service = try await .outage() }
    override func tearDown() async throws { await service.stop() }

    private static let sampleNanos = OutageFixtures.t0 * 1_000_000_000

    func testAnUndecodableGridSampleColumnIsDataLossNamingTheRow() async throws {
        let healthy = OutageFixtures.asset(1), corrupt = OutageFixtures.asset(2)
        try await service.store.write { tx in
            let insert = "INSERT INTO grid_samples (asset_id, quantity, phase, sample_ns, milli_value) VALUES (?, ?, ?, ?, ?)"
            try tx.execute(insert, healthy, Int64(GridQuantity.voltage.rawValue), Int64(GridPhase.a.rawValue), Self.sampleNanos, Int64(7_200_500))
            try tx.execute(insert, corrupt, Int64(GridQuantity.voltage.rawValue), Int64(GridPhase.a.rawValue), Self.sampleNanos, "garbled")
        }
        let latest = try await client.getLatestGridState(.with { $0.assetIDs = [healthy] }).samples
        XCTAssertEqual(latest.map(\.milliValue), [7_200_500])
        XCTAssertEqual(latest.first?.sampleTime?.seconds, OutageFixtures.t0)

        await XCTAssertStatus(.dataLoss, "grid_samples", corrupt, "milli_value") {
            _ = try await self.client.getLatestGridState(.with { $0.assetIDs = [healthy, corrupt] })
        }
    }

    func testAnUndecodablePipelineSampleColumnIsDataLossNamingTheRow() async throws {
        let healthy = OutageFixtures.asset(3), corrupt = OutageFixtures.asset(4)
        try await service.store.write { tx in
            let insert = "INSERT INTO pipeline_samples (asset_id, quantity, sample_ns, milli_value) VALUES (?, ?, ?, ?)"
            try tx.execute(insert, healthy, Int64(PipelineQuantity.pressure.rawValue), Self.sampleNanos, Int64(450_000))
            try tx.execute(insert, corrupt, "garbled", Self.sampleNanos, Int64(450_000))
        }
        let latest = try await client.getLatestPipelineState(.with { $0.assetIDs = [healthy] }).samples
        XCTAssertEqual(latest.map(\.quantity), [.pressure])

        await XCTAssertStatus(.dataLoss, "pipeline_samples", corrupt, "quantity") {
            _ = try await self.client.getLatestPipelineState(.with { $0.assetIDs = [corrupt] })
        }
    }
}
