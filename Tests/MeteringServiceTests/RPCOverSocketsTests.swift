import MeteringAPI
import MeteringDomain
import MeteringService
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit
import Synchronization
import Transport
import XCTest

/// Remembers which methods the server handled, to prove every RPC went over the wire.
private final class HandledMethods: ServerInterceptor {
    let names = Mutex<Set<String>>([])

    func intercept(context: ServerContext, next: () async throws -> Void) async throws {
        names.withLock { _ = $0.insert(context.method.method) }
        try await next()
    }
}

/// Every RPC of quantum.metering.v1.MeteringService through a real `GRPCServer` on a loopback
/// port, called with our `GRPCChannel` and the generated `MeteringServiceClient`.
final class RPCOverSocketsTests: XCTestCase {
    private var harness: MeteringHarness!
    private var server: GRPCServer!
    private var channel: GRPCChannel!
    private let handled = HandledMethods()
    private var client: MeteringServiceClient { MeteringServiceClient(channel: channel) }
    private let t0 = Fixtures.february

    override func setUp() async throws {
        harness = try await MeteringHarness.make()
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.interceptors = [handled]
        server = GRPCServer(configuration: configuration, services: [MeteringServiceImpl(operations: harness.operations)])
        try await server.start()
        channel = try GRPCChannel(target: "127.0.0.1:\(try XCTUnwrap(server.port))")
    }

    override func tearDown() async throws {
        channel.close()
        await server.shutdown(gracePeriod: .seconds(1))
        await harness.close()
    }

    func testEveryRPCOverLoopback() async throws {
        let client = self.client
        // Meter points: create (idempotent), get, list (paged, filtered), change status.
        let create = CreateMeterPointRequest.with { $0.meterPoint = Fixtures.meterPoint(); $0.requestID = "create-1" }
        let created = try await client.createMeterPoint(create)
        let meter = try XCTUnwrap(created.meterPoint?.meterPointID)
        let replay = try await client.createMeterPoint(create)
        XCTAssertEqual(replay.meterPoint?.meterPointID, meter)
        await assertStatus(.alreadyExists) {
            try await client.createMeterPoint(modified(create) { $0.meterPoint?.timeZone = "Europe/Paris" })
        }
        let createdSecond = try await client.createMeterPoint(.with { $0.meterPoint = Fixtures.meterPoint() })
        let second = try XCTUnwrap(createdSecond.meterPoint?.meterPointID)
        _ = try await client.createMeterPoint(.with { $0.meterPoint = Fixtures.meterPoint(premise: Fixtures.otherPremiseID) })
        try await XCTAssertEqualAsync(await client.getMeterPoint(.with { $0.meterPointID = meter }).meterPoint?.status, .active)
        await assertStatus(.notFound, Fixtures.missingID("MTR")) {
            try await client.getMeterPoint(.with { $0.meterPointID = Fixtures.missingID("MTR") })
        }
        let page1 = try await client.listMeterPoints(.with { $0.premiseIDs = [Fixtures.premiseID]; $0.pageSize = 1 })
        let page2 = try await client.listMeterPoints(.with { $0.premiseIDs = [Fixtures.premiseID]; $0.pageSize = 1; $0.pageToken = page1.nextPageToken })
        XCTAssertEqual((page1.meterPoints + page2.meterPoints).map(\.meterPointID), [meter, second].sorted())
        XCTAssertEqual(page2.nextPageToken, "")
        let changed = try await client.changeMeterPointStatus(.with { $0.meterPointID = second; $0.status = .inactive; $0.reason = "disconnect" })
        XCTAssertEqual(changed.meterPoint?.status, .inactive)
        let inactive = try await client.listMeterPoints(.with { $0.filter = "status = INACTIVE" })
        XCTAssertEqual(inactive.meterPoints.map(\.meterPointID), [second])
        await assertStatus(.invalidArgument, "filter") { try await client.listMeterPoints(.with { $0.filter = "colour = RED" }) }

        // Ingest two days, both channels, in two batches of one stream.
        let days = (0..<2).map { day in
            (0..<96).flatMap { index in
                let start = t0 + Int64(day) * 86_400 + Int64(index) * 900
                return [Fixtures.reading(meter, start, 100 + Int64(index)), Fixtures.reading(meter, start, 7, channel: .received)]
            }
        }
        let summary = try await client.ingestReadings { writer in
            for day in days { try await writer.write(.with { $0.readings = day }) }
        }.summary
        XCTAssertEqual(summary?.batchCount, 2)
        XCTAssertEqual(summary?.acceptedCount, 384)

        // Stream in small chunks: ordered by (interval_start, channel), complete.
        let streamed = try await client.streamReadings(
            .with { $0.meterPointID = meter; $0.timeRange = Fixtures.range(t0, t0 + 2 * 86_400); $0.chunkSize = 7 }
        ) { response in
            var readings: [MeterReading] = []
            for try await chunk in response.messages {
                XCTAssertLessThanOrEqual(chunk.readings.count, 7)
                readings += chunk.readings
            }
            return readings
        }
        XCTAssertEqual(streamed.count, 384)
        let keys = streamed.map { [$0.intervalStart?.seconds ?? 0, Int64($0.channel.rawValue)] }
        XCTAssertEqual(keys, keys.sorted { $0.lexicographicallyPrecedes($1) })
        XCTAssertEqual(Set(keys.map { $0[0] }).count, 192)

        let profile = try await client.getConsumptionProfile(
            .with { $0.subject = .meterPointID(meter); $0.timeRange = Fixtures.range(t0, t0 + 86_400); $0.bucketSize = .day })
        XCTAssertEqual(profile.profile?.totalDelivered?.milliValue, (0..<96).reduce(0) { $0 + 100 + Int64($1) })
        XCTAssertEqual(profile.profile?.totalReceived?.milliValue, 96 * 7)
        let batch = try await client.batchGetConsumptionProfiles(
            .with { $0.premiseIDs = [Fixtures.premiseID]; $0.timeRange = Fixtures.range(t0, t0 + 86_400); $0.bucketSize = .day })
        XCTAssertEqual(batch.meterPoints.map(\.meterPoint?.meterPointID), [meter, second].sorted())
        XCTAssertEqual(batch.meterPoints.first { $0.meterPoint?.meterPointID == meter }?.profile, profile.profile)
        let latest = try await client.getLatestReading(.with { $0.meterPointID = meter })
        XCTAssertEqual(latest.reading?.intervalStart?.seconds, t0 + 2 * 86_400 - 900)
        let validation = try await client.validateReadings(.with { $0.meterPointID = meter; $0.timeRange = Fixtures.range(t0, t0 + 86_400) })
        XCTAssertEqual(validation.expectedIntervalCount, 192)
        XCTAssertEqual(validation.presentIntervalCount, 192)
        XCTAssertTrue(validation.gaps.isEmpty)
        let edited = try await client.editReading(Fixtures.correction(meter, t0, requestID: "edit-1"))
        XCTAssertEqual(edited.reading?.originalValue?.milliValue, 100)
        XCTAssertFalse(edited.reading?.editor.isEmpty ?? true)

        // DER telemetry: record (with one reject), then list in pages.
        let samples = (0..<5).map { index in
            DerTelemetrySample.with {
                $0.deviceID = Fixtures.deviceID
                $0.deviceType = .battery
                $0.metric = .stateOfCharge
                $0.value = .with { $0.milliValue = 50_000 + Int64(index); $0.unit = .percent }
                $0.sampleTime = Timestamp(seconds: t0 + Int64(index) * 60)
            }
        }
        let wrongUnit = modified(samples[0]) { $0.value?.unit = .kilowatt; $0.sampleTime = Timestamp(seconds: self.t0 + 3600) }
        let recorded = try await client.recordDerTelemetry { writer in
            try await writer.write(.with { $0.samples = samples })
            try await writer.write(.with { $0.samples = [samples[0], wrongUnit] })
        }.summary
        XCTAssertEqual([recorded?.acceptedCount, recorded?.duplicateCount, recorded?.rejectedCount], [5, 1, 1])
        XCTAssertEqual(recorded?.rejections.first?.reason, .unitMismatch)
        let firstPage = try await client.listDerTelemetry(
            .with { $0.deviceID = Fixtures.deviceID; $0.timeRange = Fixtures.range(t0, t0 + 86_400); $0.pageSize = 3 })
        let secondPage = try await client.listDerTelemetry(
            .with { $0.deviceID = Fixtures.deviceID; $0.timeRange = Fixtures.range(t0, t0 + 86_400); $0.pageSize = 3; $0.pageToken = firstPage.nextPageToken })
        XCTAssertEqual((firstPage.samples + secondPage.samples).map { $0.value?.milliValue }, (0..<5).map { 50_000 + Int64($0) })

        let audit = try await client.listAuditRecords(.with { $0.filter = "decision = DENIED" })
        XCTAssertTrue(audit.auditRecords.isEmpty)

        XCTAssertEqual(handled.names.withLock { $0 }, Set(MeteringServiceMethods.all.map(\.method)))
    }

    func testBadRequestsAreInvalidArgumentNamingTheField() async throws {
        let client = self.client
        await assertStatus(.invalidArgument, "interval_length") {
            try await client.createMeterPoint(.with { $0.meterPoint = modified(Fixtures.meterPoint()) { $0.intervalLength = ProtoDuration(seconds: 7) } })
        }
        await assertStatus(.invalidArgument, "time_zone") {
            try await client.createMeterPoint(.with { $0.meterPoint = Fixtures.meterPoint(timeZone: "Mars/Olympus") })
        }
        await assertStatus(.invalidArgument, "time_range") {
            try await client.getConsumptionProfile(.with { $0.subject = .meterPointID(Fixtures.missingID("MTR")); $0.bucketSize = .day })
        }
    }
}

/// CreateMeterPoint checks the premise only when a directory (customer-service) is configured.
final class PremiseCheckTests: XCTestCase {
    private struct KnownPremises: PremiseDirectory {
        let ids: Set<String>
        func premiseExists(_ premiseID: String) async throws -> Bool { ids.contains(premiseID) }
    }

    func testUnknownPremiseIsFailedPreconditionWhenCustomerServiceIsConfigured() async throws {
        let harness = try await MeteringHarness.make(premises: KnownPremises(ids: [Fixtures.premiseID]))
        _ = try await harness.createMeterPoint(premise: Fixtures.premiseID)
        await assertStatus(.failedPrecondition, Fixtures.otherPremiseID) {
            try await harness.createMeterPoint(premise: Fixtures.otherPremiseID)
        }
        await harness.close()
    }

    func testWithoutCustomerServiceAnyWellFormedPremiseIsAccepted() async throws {
        let harness = try await MeteringHarness.make()
        _ = try await harness.createMeterPoint(premise: Fixtures.otherPremiseID)
        await assertStatus(.invalidArgument, "premise_id") { try await harness.createMeterPoint(premise: "PRM-1") }
        await harness.close()
    }
}
