import Foundation
import MeteringAPI
import MeteringDomain
import MeteringService
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit
import ServiceTestSupport
import Transport
import XCTest

/// BatchGetConsumptionProfiles over a loopback socket (authentication off): every meter point
/// at the premises, or the named ones, each with what GetConsumptionProfile(meter_point_id)
/// answers for the same range, buckets and zone.
final class BatchProfilesTests: XCTestCase {
    private var service: LoopbackService!
    private var client: MeteringServiceClient { MeteringServiceClient(channel: service.channel) }
    private let t0 = Fixtures.february
    private let emptyPremise = "PRM-" + String(repeating: "5", count: 26)

    override func setUp() async throws {
        let clock = MeteringClock { Date(timeIntervalSince1970: TimeInterval(MeteringHarness.now)) }
        service = try await LoopbackService(name: "metering", schema: MeteringSchema.schema) { store in
            [MeteringServiceImpl(operations: MeteringOperations(store: store, pages: LoopbackService.pageTokens("metering"), clock: clock))]
        }
    }

    override func tearDown() async throws {
        await service?.stop()
    }

    private func createMeterPoint(
        premise: String = Fixtures.premiseID, purpose: MeterPointPurpose = .revenue, timeZone: String = ""
    ) async throws -> String {
        try await client.createMeterPoint(.with { $0.meterPoint = Fixtures.meterPoint(premise: premise, purpose: purpose, timeZone: timeZone) })
            .meterPoint!.meterPointID
    }

    private func batch(_ build: (inout BatchGetConsumptionProfilesRequest) -> Void) async throws -> [MeterPointConsumption] {
        var request = BatchGetConsumptionProfilesRequest.with {
            $0.timeRange = Fixtures.range(t0, t0 + 2 * Fixtures.day)
            $0.bucketSize = .day
        }
        build(&request)
        return try await client.batchGetConsumptionProfiles(request).meterPoints
    }

    /// What the single calls answer for `meterPointID` with the batch's range, buckets and zone.
    private func single(_ meterPointID: String, _ request: BatchGetConsumptionProfilesRequest) async throws -> MeterPointConsumption {
        let point = try await client.getMeterPoint(.with { $0.meterPointID = meterPointID }).meterPoint
        let profile = try await client.getConsumptionProfile(.with {
            $0.subject = .meterPointID(meterPointID)
            $0.timeRange = request.timeRange
            $0.bucketSize = request.bucketSize
            $0.timeZone = request.timeZone
        }).profile
        return .with { $0.meterPoint = point; $0.profile = profile }
    }

    /// Two meter points at the first premise (one a generation meter), one in Chicago at the
    /// second, none at the third; two days of readings on each, some missing.
    private func seed() async throws -> (revenue: String, generation: String, chicago: String) {
        let revenue = try await createMeterPoint()
        let generation = try await createMeterPoint(purpose: .generation)
        let chicago = try await createMeterPoint(premise: Fixtures.otherPremiseID, timeZone: "America/Chicago")
        let readings = (0..<192).flatMap { index -> [MeterReading] in
            let start = t0 + Int64(index) * Fixtures.interval
            var rows = [Fixtures.reading(generation, start, 40 + Int64(index % 7), channel: .received)]
            if index % 5 != 0 { rows.append(Fixtures.reading(revenue, start, 100 + Int64(index))) }
            if index < 150 { rows.append(Fixtures.reading(chicago, start, 250)) }
            return rows
        }
        _ = try await client.ingestReadings { try await $0.write(.with { $0.readings = readings }) }
        return (revenue, generation, chicago)
    }

    func testEachMeterPointIsWhatGetConsumptionProfileAnswers() async throws {
        let (revenue, generation, chicago) = try await seed()

        // By premise: premise order (duplicates once), then meter point id; the empty premise adds none.
        for zone in ["", "Europe/Paris"] {
            for bucket in [BucketSize.day, .hour] {
                let request = BatchGetConsumptionProfilesRequest.with {
                    $0.premiseIDs = [Fixtures.otherPremiseID, Fixtures.premiseID, emptyPremise, Fixtures.otherPremiseID]
                    $0.timeRange = Fixtures.range(t0, t0 + 2 * Fixtures.day)
                    $0.bucketSize = bucket
                    $0.timeZone = zone
                }
                let answered = try await client.batchGetConsumptionProfiles(request).meterPoints
                var expected: [MeterPointConsumption] = []
                for id in [chicago] + [revenue, generation].sorted() { expected.append(try await single(id, request)) }
                XCTAssertEqual(answered, expected, "zone '\(zone)', \(bucket)")
                XCTAssertTrue(answered.allSatisfy { $0.statusCode == 0 && $0.profile?.totalNet != nil })
            }
        }
        let chicagoProfile = try await batch { $0.meterPointIDs = [chicago] }.first?.profile
        XCTAssertEqual(chicagoProfile?.timeZone, "America/Chicago", "empty time_zone: the meter point's own")

        // By meter point: request order, duplicates once.
        let named = try await batch { $0.meterPointIDs = [chicago, revenue, chicago] }
        XCTAssertEqual(named.map(\.meterPoint?.meterPointID), [chicago, revenue])
        var request = BatchGetConsumptionProfilesRequest()
        request.timeRange = Fixtures.range(t0, t0 + 2 * Fixtures.day)
        request.bucketSize = .day
        try await XCTAssertEqualAsync(named[1], try await single(revenue, request))

        // Only the empty premise: an empty answer, not an error.
        try await XCTAssertEqualAsync(try await batch { $0.premiseIDs = [emptyPremise] }, [])
    }

    func testBadBatchesFailTheWholeCall() async throws {
        let meter = try await createMeterPoint()
        let hundredAndOne = { (prefix: String) in (0..<101).map { String(format: "\(prefix)-%026d", $0) } }
        await assertStatus(.invalidArgument, "exactly one of premise_ids and meter_point_ids") {
            try await self.batch { $0.premiseIDs = [Fixtures.premiseID]; $0.meterPointIDs = [meter] }
        }
        await assertStatus(.invalidArgument, "premise_ids or meter_point_ids is required") { try await self.batch { _ in } }
        await assertStatus(.invalidArgument, "premise_ids: at most 100 ids, got 101") { try await self.batch { $0.premiseIDs = hundredAndOne("PRM") } }
        await assertStatus(.invalidArgument, "meter_point_ids: at most 100 ids, got 101") {
            try await self.batch { $0.meterPointIDs = hundredAndOne("MTR") }
        }
        await assertStatus(.invalidArgument, "premise_ids: 'MTR-") { try await self.batch { $0.premiseIDs = [meter] } }
        await assertStatus(.invalidArgument, "meter_point_ids: 'PRM-nope'") { try await self.batch { $0.meterPointIDs = [meter, "PRM-nope"] } }
        await assertStatus(.invalidArgument, "time_range") { try await self.batch { $0.meterPointIDs = [meter]; $0.timeRange = nil } }
        await assertStatus(.invalidArgument, "time_range") {
            try await self.batch { $0.meterPointIDs = [meter]; $0.timeRange = Fixtures.range(self.t0 + 10, self.t0) }
        }
        await assertStatus(.invalidArgument, "bucket_size is required") { try await self.batch { $0.meterPointIDs = [meter]; $0.bucketSize = .unspecified } }
        await assertStatus(.invalidArgument, "time_zone: 'Mars/Olympus'") { try await self.batch { $0.meterPointIDs = [meter]; $0.timeZone = "Mars/Olympus" } }
        await assertStatus(.invalidArgument, "more than 10000 buckets") {
            try await self.batch { $0.meterPointIDs = [meter]; $0.timeRange = Fixtures.range(self.t0 - 2 * 365 * Fixtures.day, self.t0); $0.bucketSize = .hour }
        }
        await assertStatus(.notFound, Fixtures.missingID("MTR")) { try await self.batch { $0.meterPointIDs = [meter, Fixtures.missingID("MTR")] } }
    }

    func testMoreThanOneThousandMeterPointsIsInvalidArgument() async throws {
        for _ in 0..<1000 { _ = try await createMeterPoint(premise: Fixtures.otherPremiseID) }
        _ = try await createMeterPoint()
        let thousand = try await batch { $0.premiseIDs = [Fixtures.otherPremiseID]; $0.bucketSize = .month }
        XCTAssertEqual(thousand.count, 1000)
        await assertStatus(.invalidArgument, "more than 1000 meter points; ask for fewer premises") {
            try await self.batch { $0.premiseIDs = [Fixtures.otherPremiseID, Fixtures.premiseID] }
        }
    }
}
