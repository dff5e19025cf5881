import Foundation
import OutageAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceTestSupport
import XCTest

/// RecordGridState / RecordPipelineState over a real socket, as ingest.proto counts a key
/// already stored: a later stream's changed value is accepted and replaces it; the same value
/// is a duplicate; only two different values for one key within one stream conflict.
final class StateIngestAcrossStreamsTests: XCTestCase {
    private var service: LoopbackService!
    private var client: OutageServiceClient { OutageServiceClient(channel: service.channel) }

    override func setUp() async throws { service = try await .outage() }
    override func tearDown() async throws { await service.stop() }

    private static let time = Timestamp(seconds: OutageFixtures.t0)

    private static func grid(_ quantity: GridQuantity, _ phase: GridPhase, _ milli: Int64) -> GridStateSample {
        .with {
            $0.assetID = OutageFixtures.asset(1)
            $0.quantity = quantity
            $0.phase = phase
            $0.milliValue = milli
            $0.sampleTime = time
        }
    }

    private static func pipe(_ milli: Int64) -> PipelineStateSample {
        .with {
            $0.assetID = OutageFixtures.asset(5)
            $0.quantity = .pressure
            $0.milliValue = milli
            $0.sampleTime = time
        }
    }

    private func recordGrid(_ batches: [[GridStateSample]]) async throws -> IngestSummary {
        let response = try await client.recordGridState { writer in
            for batch in batches { try await writer.write(.with { $0.samples = batch }) }
        }
        return try XCTUnwrap(response.summary)
    }

    private func recordPipeline(_ batches: [[PipelineStateSample]]) async throws -> IngestSummary {
        let response = try await client.recordPipelineState { writer in
            for batch in batches { try await writer.write(.with { $0.samples = batch }) }
        }
        return try XCTUnwrap(response.summary)
    }

    /// received, accepted, duplicate, rejected.
    private static func counts(_ summary: IngestSummary) -> [Int64] {
        [summary.receivedCount, summary.acceptedCount, summary.duplicateCount, summary.rejectedCount]
    }

    private static func rejections(_ summary: IngestSummary) -> [String] {
        summary.rejections.map { "\($0.batchIndex)/\($0.rowIndex) \($0.reason.protoName ?? "?") \($0.field)" }
    }

    /// Asset 1's latest grid values, keyed "QUANTITY/PHASE".
    private func latestGrid() async throws -> [String: Int64] {
        let samples = try await client.getLatestGridState(.with { $0.assetIDs = [OutageFixtures.asset(1)] }).samples
        return Dictionary(uniqueKeysWithValues: samples.map { ("\($0.quantity.protoName ?? "?")/\($0.phase.protoName ?? "?")", $0.milliValue) })
    }

    func testGridStateChangedByALaterStreamIsAcceptedAndConflictsOnlyWithinAStream() async throws {
        let first = try await recordGrid([[Self.grid(.voltage, .a, 240_000), Self.grid(.voltage, .b, 241_000)]])
        XCTAssertEqual(Self.counts(first), [2, 2, 0, 0])

        let second = try await recordGrid([
            [
                Self.grid(.voltage, .a, 239_000),  // 0 changed since the first stream: accepted
                Self.grid(.voltage, .b, 241_000),  // 1 as stored: duplicate
                Self.grid(.current, .a, 410_500),  // 2 new key: accepted
            ],
            [
                Self.grid(.voltage, .a, 239_000),  // 0 as this stream wrote it: duplicate
                Self.grid(.voltage, .a, 238_000),  // 1 this stream wrote 239.0 V: conflicting
                Self.grid(.voltage, .b, 242_000),  // 2 this stream saw 241.0 V: conflicting
            ],
        ])
        XCTAssertEqual(Self.counts(second), [6, 2, 2, 2])
        XCTAssertEqual(Self.rejections(second), [
            "1/1 REJECTION_REASON_CONFLICTING_DUPLICATE milli_value",
            "1/2 REJECTION_REASON_CONFLICTING_DUPLICATE milli_value",
        ])
        XCTAssertTrue(second.rejections.first?.message.contains("239000") == true, second.rejections.first?.message ?? "")
        var latest = try await latestGrid()
        XCTAssertEqual(latest, [
            "GRID_QUANTITY_VOLTAGE/GRID_PHASE_A": 239_000, "GRID_QUANTITY_VOLTAGE/GRID_PHASE_B": 241_000,
            "GRID_QUANTITY_CURRENT/GRID_PHASE_A": 410_500,
        ])

        // A third stream may change the value back: it is a new call, so no conflict.
        let third = try await recordGrid([[Self.grid(.voltage, .a, 240_000)]])
        XCTAssertEqual(Self.counts(third), [1, 1, 0, 0])
        latest = try await latestGrid()
        XCTAssertEqual(latest["GRID_QUANTITY_VOLTAGE/GRID_PHASE_A"], 240_000)
    }

    func testPipelineStateChangedByALaterStreamIsAcceptedAndConflictsOnlyWithinAStream() async throws {
        let first = try await recordPipeline([[Self.pipe(410_000)]])
        XCTAssertEqual(Self.counts(first), [1, 1, 0, 0])
        let second = try await recordPipeline([[Self.pipe(405_500)], [Self.pipe(999), Self.pipe(405_500)]])
        XCTAssertEqual(Self.counts(second), [3, 1, 1, 1])
        XCTAssertEqual(Self.rejections(second), ["1/0 REJECTION_REASON_CONFLICTING_DUPLICATE milli_value"])
        let latest = try await client.getLatestPipelineState(.with { $0.assetIDs = [OutageFixtures.asset(5)] }).samples
        XCTAssertEqual(latest, [Self.pipe(405_500)])
    }
}
