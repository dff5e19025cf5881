import AssetAPI
import Foundation
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceTestSupport
import XCTest

/// RecordPerformanceSamples (client-streaming) and SummarizePerformance over a real loopback
/// socket: bad rows come back with their batch, row, reason and field; summaries equal the
/// minimum, maximum and half-even mean worked out by hand.
final class PerformanceOverSocketsTests: XCTestCase {
    private var service: LoopbackService!
    private var client: AssetServiceClient { AssetServiceClient(channel: service.channel) }

    override func setUp() async throws { service = try await .asset() }
    override func tearDown() async throws { await service.stop() }

    /// 2025-03-03T00:00:00Z; samples are 15 minutes apart from here.
    private static let t0: Int64 = 1_740_960_000
    private static func at(_ quarter: Int64) -> Timestamp { Timestamp(seconds: t0 + quarter * 900) }

    private static func sample(_ asset: String, _ metric: String, _ milli: Int64, _ unit: MeasurementUnit, at quarter: Int64) -> PerformanceSample {
        .with {
            $0.assetID = asset
            $0.metric = metric
            $0.value = .with { $0.milliValue = milli; $0.unit = unit }
            $0.sampleTime = at(quarter)
        }
    }

    private func record(_ batches: [[PerformanceSample]]) async throws -> IngestSummary {
        let response = try await client.recordPerformanceSamples { writer in
            for batch in batches { try await writer.write(.with { $0.samples = batch }) }
        }
        return try XCTUnwrap(response.summary)
    }

    private func createTransformer() async throws -> String {
        try await client.createAsset(.with { $0.asset = AssetFixtures.asset("Transformer 9-1") }).asset!.assetID
    }

    func testStreamedSamplesWithBadRowsRejectedByIndexAndReason() async throws {
        let asset = try await createTransformer()
        let missing = AssetFixtures.missingID("AST")
        let oil = { (milli: Int64, quarter: Int64) in Self.sample(asset, "oil_temperature", milli, .celsius, at: quarter) }
        var noValue = oil(1, 50); noValue.value = nil
        var noUnit = oil(1, 51); noUnit.value?.unit = .unspecified
        var noTime = oil(1, 52); noTime.sampleTime = nil
        var badTime = oil(1, 53); badTime.sampleTime = Timestamp(seconds: 10_000_000_000)  // year 2286
        let batch0 = [
            oil(61_250, 0),                                               // 0 accepted
            Self.sample("", "oil_temperature", 1, .celsius, at: 1),       // 1 asset_id missing
            Self.sample(asset, "Oil-Temperature", 1, .celsius, at: 1),    // 2 metric not snake case
            noValue,                                                      // 3 value missing
            noUnit,                                                       // 4 unit missing
            noTime,                                                       // 5 sample_time missing
            badTime,                                                      // 6 sample_time out of range
            Self.sample(missing, "oil_temperature", 1, .celsius, at: 1),  // 7 unknown asset
            Self.sample(asset, "", 1, .celsius, at: 1),                   // 8 metric missing
            Self.sample(asset, "load_1½", 1, .percent, at: 1),            // 9 metric not ASCII
            oil(64_500, 1),                                               // 10 accepted
        ]
        let batch1 = [
            oil(61_250, 0),                                               // 0 duplicate (same value)
            oil(99_000, 1),                                               // 1 conflicting (this stream wrote 64.5)
            Self.sample(asset, "oil_temperature", 50, .percent, at: 2),   // 2 unit differs from the stored one
            Self.sample(asset, "load_percent", 80_000, .percent, at: 2),  // 3 accepted
        ]
        let summary = try await record([batch0, batch1, []])
        XCTAssertEqual(summary.batchCount, 3)
        XCTAssertEqual(summary.receivedCount, 15)
        XCTAssertEqual(summary.acceptedCount, 3)
        XCTAssertEqual(summary.duplicateCount, 1)
        XCTAssertEqual(summary.rejectedCount, 11)
        XCTAssertFalse(summary.rejectionsTruncated)
        let rejections = summary.rejections.map { "\($0.batchIndex)/\($0.rowIndex) \($0.reason.protoName ?? "?") \($0.field)" }
        XCTAssertEqual(rejections, [
            "0/1 REJECTION_REASON_MISSING_FIELD asset_id",
            "0/2 REJECTION_REASON_INVALID_VALUE metric",
            "0/3 REJECTION_REASON_MISSING_FIELD value",
            "0/4 REJECTION_REASON_INVALID_VALUE value.unit",
            "0/5 REJECTION_REASON_MISSING_FIELD sample_time",
            "0/6 REJECTION_REASON_INVALID_VALUE sample_time",
            "0/7 REJECTION_REASON_UNKNOWN_REFERENCE asset_id",
            "0/8 REJECTION_REASON_MISSING_FIELD metric",
            "0/9 REJECTION_REASON_INVALID_VALUE metric",
            "1/1 REJECTION_REASON_CONFLICTING_DUPLICATE value",
            "1/2 REJECTION_REASON_UNIT_MISMATCH value.unit",
        ])
        guard summary.rejections.count == 11 else { return }  // the list above says which row differs
        XCTAssertTrue(summary.rejections[6].message.contains(missing), summary.rejections[6].message)
        XCTAssertTrue(summary.rejections[10].message.contains("CELSIUS"), summary.rejections[10].message)

        // Only the three accepted rows are stored: 61.25 and 64.5 °C, 80 %.
        let stored = try await client.summarizePerformance(.with {
            $0.assetID = asset
            $0.timeRange = .with { $0.startTime = Self.at(-100); $0.endTime = Self.at(100) }
        }).summaries
        XCTAssertEqual(stored.map(\.metric), ["load_percent", "oil_temperature"])
        XCTAssertEqual(stored.map(\.sampleCount), [1, 2])
        XCTAssertEqual(stored.last?.maxMilliValue, 64_500, "the conflicting 99 °C was not stored")
        XCTAssertEqual(stored.last?.unit, .celsius)

        // Replaying the whole stream stores nothing new (its own 99 °C row still conflicts with its 64.5 °C one).
        let replay = try await record([batch0, batch1])
        XCTAssertEqual(replay.acceptedCount, 0)
        XCTAssertEqual(replay.duplicateCount, 4)
        XCTAssertEqual(replay.rejectedCount, 11)
    }

    /// ingest.proto: "accepted: new keys, or existing keys whose value changed"; a later call's
    /// new value for a stored key replaces it, the same value again is a duplicate.
    func testALaterStreamOverwritesAStoredValueAndAnIdenticalReplayIsADuplicate() async throws {
        let asset = try await createTransformer()
        let oil = { (milli: Int64, quarter: Int64) in Self.sample(asset, "oil_temperature", milli, .celsius, at: quarter) }
        let range = TimeRange.with { $0.startTime = Self.at(0); $0.endTime = Self.at(10) }
        let oilSummary = { [client] in
            try await client.summarizePerformance(.with { $0.assetID = asset; $0.timeRange = range }).summaries.first
        }
        let first = try await record([[oil(61_250, 0), oil(62_000, 1)]])
        XCTAssertEqual([first.acceptedCount, first.duplicateCount, first.rejectedCount], [2, 0, 0])

        // Quarter 0 corrected to 63 °C, quarter 1 sent again unchanged; a third row repeats quarter
        // 0 with yet another value in the same stream, which is the conflict ingest.proto names.
        let correction = try await record([[oil(63_000, 0), oil(62_000, 1)], [oil(64_000, 0)]])
        XCTAssertEqual([correction.acceptedCount, correction.duplicateCount, correction.rejectedCount], [1, 1, 1])
        XCTAssertEqual(correction.rejections.map { "\($0.batchIndex)/\($0.rowIndex) \($0.reason.protoName ?? "?")" }, [
            "1/0 REJECTION_REASON_CONFLICTING_DUPLICATE",
        ])
        let corrected = try await oilSummary()
        XCTAssertEqual(corrected?.sampleCount, 2, "the correction replaced the row, it did not add one")
        XCTAssertEqual(corrected?.maxMilliValue, 63_000)
        XCTAssertEqual(corrected?.minMilliValue, 62_000)

        let replay = try await record([[oil(63_000, 0)]])
        XCTAssertEqual([replay.acceptedCount, replay.duplicateCount, replay.rejectedCount], [0, 1, 0])
        try await XCTAssertEqualAsync(try await oilSummary()?.maxMilliValue, 63_000)
    }

    /// oil_temperature in [t0 + 1 h, t0 + 3 h): 61.250, 64.500, 59.750 and 70.125 °C at
    /// quarters 4, 5, 6 and 11 (quarter 3 is before the range; quarter 12 is the exclusive end).
    ///   min  59.750 → 59,750      max 70.125 → 70,125
    ///   mean (61,250 + 64,500 + 59,750 + 70,125) ÷ 4 = 255,625 ÷ 4 = 63,906.25 → 63,906
    ///   first sample quarter 4, last quarter 11 with 70,125
    /// load_percent: 80.000 and 80.001 → mean 160,001 ÷ 2 = 80,000.5 → half-even → 80,000 (even);
    ///   with 80.003 added: 240,004 ÷ 3 = 80,001.33 → 80,001.
    func testSummaryEqualsHandComputedStatistics() async throws {
        let client = self.client
        let asset = try await createTransformer()
        let other = try await createTransformer()
        let oil = { (milli: Int64, quarter: Int64) in Self.sample(asset, "oil_temperature", milli, .celsius, at: quarter) }
        let load = { (milli: Int64, quarter: Int64) in Self.sample(asset, "load_percent", milli, .percent, at: quarter) }
        // Two batches, out of time order; another asset's sample must not leak in.
        let summary = try await record([
            [oil(70_125, 11), oil(10_000, 3), oil(61_250, 4), load(80_001, 6)],
            [oil(59_750, 6), oil(64_500, 5), oil(99_999, 12), load(80_000, 5),
             Self.sample(other, "oil_temperature", -5_000, .celsius, at: 5)],
        ])
        XCTAssertEqual(summary.acceptedCount, 9)
        XCTAssertEqual(summary.rejectedCount, 0)

        let range = TimeRange.with { $0.startTime = Self.at(4); $0.endTime = Self.at(12) }
        let summaries = try await client.summarizePerformance(.with { $0.assetID = asset; $0.timeRange = range }).summaries
        XCTAssertEqual(summaries.map(\.metric), ["load_percent", "oil_temperature"], "by metric name")
        guard summaries.count == 2 else { return }
        let oilSummary = summaries[1]
        XCTAssertEqual(oilSummary.assetID, asset)
        XCTAssertEqual(oilSummary.unit, .celsius)
        XCTAssertEqual(oilSummary.sampleCount, 4)
        XCTAssertEqual(oilSummary.minMilliValue, 59_750)
        XCTAssertEqual(oilSummary.maxMilliValue, 70_125)
        XCTAssertEqual(oilSummary.meanMilliValue, 63_906)
        XCTAssertEqual(oilSummary.firstSampleTime, Self.at(4))
        XCTAssertEqual(oilSummary.lastSampleTime, Self.at(11))
        XCTAssertEqual(oilSummary.lastMilliValue, 70_125)
        let loadSummary = summaries[0]
        XCTAssertEqual(loadSummary.unit, .percent)
        XCTAssertEqual([loadSummary.sampleCount, loadSummary.minMilliValue, loadSummary.maxMilliValue, loadSummary.meanMilliValue], [2, 80_000, 80_001, 80_000])
        XCTAssertEqual(loadSummary.lastSampleTime, Self.at(6))

        _ = try await record([[load(80_003, 7)]])
        let loadOnly = try await client.summarizePerformance(.with { $0.assetID = asset; $0.metric = "load_percent"; $0.timeRange = range }).summaries
        XCTAssertEqual(loadOnly.map(\.metric), ["load_percent"])
        XCTAssertEqual(loadOnly.first?.meanMilliValue, 80_001)
        let otherSummary = try await client.summarizePerformance(.with { $0.assetID = other; $0.timeRange = range }).summaries
        XCTAssertEqual(otherSummary.map(\.minMilliValue), [-5_000])
        // An empty range, or a metric without samples, has no summaries.
        try await XCTAssertTrueAsync(try await client.summarizePerformance(.with {
            $0.assetID = asset; $0.timeRange = .with { $0.startTime = Self.at(4); $0.endTime = Self.at(4) }
        }).summaries.isEmpty)
        try await XCTAssertTrueAsync(try await client.summarizePerformance(.with {
            $0.assetID = asset; $0.metric = "winding_temperature"; $0.timeRange = range
        }).summaries.isEmpty)

        // Bad input names the field; an unknown asset is NOT_FOUND.
        await XCTAssertStatus(.invalidArgument, "asset_id") { _ = try await client.summarizePerformance(.with { $0.timeRange = range }) }
        await XCTAssertStatus(.invalidArgument, "time_range") { _ = try await client.summarizePerformance(.with { $0.assetID = asset }) }
        await XCTAssertStatus(.invalidArgument, "end_time") {
            _ = try await client.summarizePerformance(.with { $0.assetID = asset; $0.timeRange = .with { $0.startTime = Self.at(4) } })
        }
        await XCTAssertStatus(.invalidArgument, "time_range.end_time") {
            _ = try await client.summarizePerformance(.with { $0.assetID = asset; $0.timeRange = .with { $0.startTime = Self.at(5); $0.endTime = Self.at(4) } })
        }
        let missing = AssetFixtures.missingID("AST")
        await XCTAssertStatus(.notFound, missing) { _ = try await client.summarizePerformance(.with { $0.assetID = missing; $0.timeRange = range }) }
    }
}
