import Foundation
import OutageAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceTestSupport
import XCTest

/// RecordGridState / RecordPipelineState (client-streaming), GetLatestGridState /
/// GetLatestPipelineState and WatchGridAlarms over a real loopback socket.
final class GridStateOverSocketsTests: XCTestCase {
    private var service: LoopbackService!
    private var client: OutageServiceClient { OutageServiceClient(channel: service.channel) }

    override func setUp() async throws { service = try await .outage() }
    override func tearDown() async throws { await service.stop() }

    private static func at(_ second: Int64) -> Timestamp { Timestamp(seconds: OutageFixtures.t0 + second) }

    private static func grid(_ asset: Int, _ quantity: GridQuantity, _ milli: Int64, at second: Int64, phase: GridPhase = .a) -> GridStateSample {
        .with {
            $0.assetID = OutageFixtures.asset(asset)
            $0.quantity = quantity
            $0.phase = phase
            $0.milliValue = milli
            $0.sampleTime = at(second)
        }
    }

    private static func pipe(_ asset: Int, _ quantity: PipelineQuantity, _ milli: Int64, at second: Int64) -> PipelineStateSample {
        .with {
            $0.assetID = OutageFixtures.asset(asset)
            $0.quantity = quantity
            $0.milliValue = milli
            $0.sampleTime = at(second)
        }
    }

    private func recordGrid(_ batches: [[GridStateSample]]) async throws -> IngestSummary {
        try await Self.recordGrid(client, batches)
    }

    private static func recordGrid(_ client: OutageServiceClient, _ batches: [[GridStateSample]]) async throws -> IngestSummary {
        let response = try await client.recordGridState { writer in
            for batch in batches { try await writer.write(.with { $0.samples = batch }) }
        }
        return try XCTUnwrap(response.summary)
    }

    private func recordPipeline(_ batches: [[PipelineStateSample]]) async throws -> IngestSummary {
        try await Self.recordPipeline(client, batches)
    }

    private static func recordPipeline(_ client: OutageServiceClient, _ batches: [[PipelineStateSample]]) async throws -> IngestSummary {
        let response = try await client.recordPipelineState { writer in
            for batch in batches { try await writer.write(.with { $0.samples = batch }) }
        }
        return try XCTUnwrap(response.summary)
    }

    private static func rejections(_ summary: IngestSummary) -> [String] {
        summary.rejections.map { "\($0.batchIndex)/\($0.rowIndex) \($0.reason.protoName ?? "?") \($0.field)" }
    }

    func testGridIngestionAndLatestState() async throws {
        let client = self.client
        var noTime = Self.grid(1, .voltage, 1, at: 0); noTime.sampleTime = nil
        let summary = try await recordGrid([
            [
                Self.grid(1, .voltage, 240_100, at: 0),                       // 0
                Self.grid(1, .voltage, 239_500, at: 60),                      // 1
                Self.grid(1, .voltage, 241_000, at: 60, phase: .b),           // 2
                Self.grid(1, .frequency, 60_010, at: 30, phase: .unspecified),// 3
                .with { $0.assetID = "feeder 12"; $0.quantity = .voltage; $0.sampleTime = Self.at(0) },  // 4 bad id
                Self.grid(1, .unspecified, 1, at: 0),                         // 5 no quantity
                Self.grid(1, .voltage, 1, at: 0, phase: GridPhase(rawValue: 9)),  // 6 unknown phase
                noTime,                                                       // 7 no time
            ],
            [
                Self.grid(1, .voltage, 240_100, at: 0),                       // 0 duplicate
                Self.grid(1, .voltage, 250_000, at: 60),                      // 1 conflicting
                Self.grid(1, .voltage, 230_000, at: 30),                      // 2 older than the latest
                Self.grid(2, .current, 410_500, at: 10, phase: .c),           // 3
            ],
        ])
        XCTAssertEqual([summary.receivedCount, summary.acceptedCount, summary.duplicateCount, summary.rejectedCount], [12, 6, 1, 5])
        XCTAssertEqual(summary.batchCount, 2)
        XCTAssertEqual(Self.rejections(summary), [
            "0/4 REJECTION_REASON_INVALID_VALUE asset_id",
            "0/5 REJECTION_REASON_MISSING_FIELD quantity",
            "0/6 REJECTION_REASON_INVALID_VALUE phase",
            "0/7 REJECTION_REASON_MISSING_FIELD sample_time",
            "1/1 REJECTION_REASON_CONFLICTING_DUPLICATE milli_value",
        ])
        XCTAssertTrue(summary.rejections.first?.message.contains("feeder 12") == true)

        // Latest per (asset, quantity, phase), assets in request order; one without samples is absent.
        let latest = try await client.getLatestGridState(.with { $0.assetIDs = [OutageFixtures.asset(2), OutageFixtures.asset(3), OutageFixtures.asset(1)] }).samples
        XCTAssertEqual(latest, [
            Self.grid(2, .current, 410_500, at: 10, phase: .c),
            Self.grid(1, .voltage, 239_500, at: 60),  // not the older 230.0 V recorded after it
            Self.grid(1, .voltage, 241_000, at: 60, phase: .b),
            Self.grid(1, .frequency, 60_010, at: 30, phase: .unspecified),
        ])

        await XCTAssertStatus(.invalidArgument, "asset_ids") { _ = try await client.getLatestGridState(GetLatestGridStateRequest()) }
        await XCTAssertStatus(.invalidArgument, "asset_ids[1]") {
            _ = try await client.getLatestGridState(.with { $0.assetIDs = [OutageFixtures.asset(1), "PRM-1"] })
        }
        await XCTAssertStatus(.invalidArgument, "asset_ids") {
            _ = try await client.getLatestGridState(.with { $0.assetIDs = (0...1_000).map(OutageFixtures.asset) })
        }
    }

    func testPipelineIngestionAndLatestState() async throws {
        let client = self.client
        let summary = try await recordPipeline([[
            Self.pipe(5, .pressure, 410_000, at: 0),
            Self.pipe(5, .pressure, 405_500, at: 300),
            Self.pipe(5, .flow, 1_250_000, at: 300),
            Self.pipe(5, .unspecified, 1, at: 0),
            Self.pipe(5, .pressure, 999, at: 300),
        ], [Self.pipe(5, .pressure, 410_000, at: 0), Self.pipe(6, .temperature, 12_500, at: 0)]])
        XCTAssertEqual([summary.receivedCount, summary.acceptedCount, summary.duplicateCount, summary.rejectedCount], [7, 4, 1, 2])
        XCTAssertEqual(Self.rejections(summary), [
            "0/3 REJECTION_REASON_MISSING_FIELD quantity",
            "0/4 REJECTION_REASON_CONFLICTING_DUPLICATE milli_value",
        ])
        let latest = try await client.getLatestPipelineState(.with { $0.assetIDs = [OutageFixtures.asset(6), OutageFixtures.asset(5)] }).samples
        XCTAssertEqual(latest, [Self.pipe(6, .temperature, 12_500, at: 0), Self.pipe(5, .pressure, 405_500, at: 300), Self.pipe(5, .flow, 1_250_000, at: 300)])
        await XCTAssertStatus(.invalidArgument, "asset_ids") { _ = try await client.getLatestPipelineState(GetLatestPipelineStateRequest()) }
        await XCTAssertStatus(.invalidArgument, "asset_ids[0]") { _ = try await client.getLatestPipelineState(.with { $0.assetIDs = [""] }) }
    }

    /// Limits: [0] voltage 240 V ± 5 % (228.000…252.000 V inclusive) on assets 1 and 2 (and 98,
    /// 99, which only mark the start and end of the feed); [1] pipeline pressure at least 380 and
    /// at most 420 kPa, any asset; clears requested. The samples recorded once the subscription
    /// is live, and the alarms they must raise, by hand:
    ///   asset 1 voltage 240.0 → within, nothing      asset 1 voltage 252.0 → within (inclusive)
    ///   asset 1 voltage 252.001 → ABOVE [0]            asset 1 voltage 227.999 → BELOW [0]
    ///   asset 1 voltage 230.0 → CLEARED [0]            asset 3 voltage 300.0 → not watched
    ///   asset 2 current 999 A → other quantity         asset 2 voltage 100.0 phase B → BELOW [0]
    ///   asset 5 pressure 421.0 → ABOVE [1]             asset 5 pressure 400.0 → CLEARED [1]
    ///   asset 5 flow 9,999 → other quantity            asset 6 pressure 379.999 → BELOW [1]
    func testAlarmsRaisedByRecordedStates() async throws {
        let client = self.client
        let request = WatchGridAlarmsRequest.with {
            $0.limits = [
                .with {
                    $0.quantity = .gridQuantity(.voltage)
                    $0.bounds = .nominalBand(.with { $0.nominalMilliValue = 240_000; $0.toleranceBasisPoints = 500 })
                    $0.assetIDs = [1, 2, 98, 99].map(OutageFixtures.asset)
                },
                .with {
                    $0.quantity = .pipelineQuantity(.pressure)
                    $0.bounds = .absoluteBounds(.with { $0.minMilliValue = 380_000; $0.maxMilliValue = 420_000 })
                },
            ]
            $0.includeClears = true
        }
        let (alarms, sink) = AsyncStream.makeStream(of: GridAlarm.self)
        let watch = Task {
            defer { sink.finish() }
            try await client.watchGridAlarms(request) { response in
                for try await message in response.messages { if let alarm = message.alarm { sink.yield(alarm) } }
            }
        }
        defer { watch.cancel() }

        let received = try await withDeadline(seconds: 30, "the alarm feed") {
            var iterator = alarms.makeAsyncIterator()
            // The feed has no "ready" message: record a violating sample on asset 99 each 50 ms
            // until its alarm arrives; from then on every committed sample reaches the watcher.
            let primer = Task {
                var second: Int64 = 0
                while !Task.isCancelled {
                    _ = try await Self.recordGrid(client, [[Self.grid(99, .voltage, 1_000, at: second)]])
                    second += 1
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            _ = await iterator.next()
            primer.cancel()
            _ = await primer.result

            _ = try await Self.recordGrid(client, [[
                Self.grid(1, .voltage, 240_000, at: 1_000), Self.grid(1, .voltage, 252_000, at: 1_001),
                Self.grid(1, .voltage, 252_001, at: 1_002), Self.grid(1, .voltage, 227_999, at: 1_003),
            ], [
                Self.grid(1, .voltage, 230_000, at: 1_004), Self.grid(3, .voltage, 300_000, at: 1_004),
                Self.grid(2, .current, 999_000, at: 1_004), Self.grid(2, .voltage, 100_000, at: 1_004, phase: .b),
            ]])
            _ = try await Self.recordPipeline(client, [[
                Self.pipe(5, .pressure, 421_000, at: 1_000), Self.pipe(5, .pressure, 400_000, at: 1_001),
                Self.pipe(5, .flow, 9_999_000, at: 1_001), Self.pipe(6, .pressure, 379_999, at: 1_001),
            ]])
            // A last violation on asset 98 marks the end: alarms arrive in commit order.
            _ = try await Self.recordGrid(client, [[Self.grid(98, .voltage, 1, at: 0)]])
            var alarms: [GridAlarm] = []
            while let alarm = await iterator.next() {
                if case .gridSample(let sample)? = alarm.sample {
                    if sample.assetID == OutageFixtures.asset(99) { continue }
                    if sample.assetID == OutageFixtures.asset(98) { break }
                }
                alarms.append(alarm)
            }
            return alarms
        }

        func describe(_ alarm: GridAlarm) -> String {
            switch alarm.sample {
            case .gridSample(let s)?: "\(alarm.kind.protoName ?? "?") [\(alarm.limitIndex)] grid \(s.assetID.suffix(1)) \(s.milliValue)"
            case .pipelineSample(let s)?: "\(alarm.kind.protoName ?? "?") [\(alarm.limitIndex)] pipe \(s.assetID.suffix(1)) \(s.milliValue)"
            case nil: "no sample"
            }
        }
        XCTAssertEqual(received.map(describe), [
            "ALARM_KIND_ABOVE_LIMIT [0] grid 1 252001",
            "ALARM_KIND_BELOW_LIMIT [0] grid 1 227999",
            "ALARM_KIND_CLEARED [0] grid 1 230000",
            "ALARM_KIND_BELOW_LIMIT [0] grid 2 100000",
            "ALARM_KIND_ABOVE_LIMIT [1] pipe 5 421000",
            "ALARM_KIND_CLEARED [1] pipe 5 400000",
            "ALARM_KIND_BELOW_LIMIT [1] pipe 6 379999",
        ])
        let sequences = received.map(\.sequence)
        XCTAssertEqual(sequences, sequences.sorted())
        XCTAssertEqual(Set(sequences).count, sequences.count, "strictly increasing")
        XCTAssertTrue(received.allSatisfy { $0.detectTime != nil })
    }

    func testBadAlarmRequestsNameTheLimit() async throws {
        let client = self.client
        let voltage = AlarmLimit.with {
            $0.quantity = .gridQuantity(.voltage)
            $0.bounds = .nominalBand(.with { $0.nominalMilliValue = 240_000; $0.toleranceBasisPoints = 500 })
        }
        func watch(_ limits: [AlarmLimit]) async throws {
            try await client.watchGridAlarms(.with { $0.limits = limits }) { response in
                for try await _ in response.messages { break }
            }
        }
        await XCTAssertStatus(.invalidArgument, "limits") { try await watch([]) }
        await XCTAssertStatus(.invalidArgument, "limits") { try await watch(Array(repeating: voltage, count: 101)) }
        var noQuantity = voltage; noQuantity.quantity = nil
        await XCTAssertStatus(.invalidArgument, "limits[1].quantity") { try await watch([voltage, noQuantity]) }
        var noBounds = voltage; noBounds.bounds = nil
        await XCTAssertStatus(.invalidArgument, "limits[0].bounds") { try await watch([noBounds]) }
        var noTolerance = voltage; noTolerance.bounds = .nominalBand(.with { $0.nominalMilliValue = 240_000 })
        await XCTAssertStatus(.invalidArgument, "limits[0].nominal_band.tolerance_basis_points") { try await watch([noTolerance]) }
        var inverted = voltage; inverted.bounds = .absoluteBounds(.with { $0.minMilliValue = 10; $0.maxMilliValue = 5 })
        await XCTAssertStatus(.invalidArgument, "limits[0].absolute_bounds") { try await watch([inverted]) }
        var unknown = voltage; unknown.quantity = .gridQuantity(.unspecified)
        await XCTAssertStatus(.invalidArgument, "limits[0].grid_quantity") { try await watch([unknown]) }
        var badAsset = voltage; badAsset.assetIDs = ["transformer 7"]
        await XCTAssertStatus(.invalidArgument, "limits[0].asset_ids[0]") { try await watch([badAsset]) }
    }
}
