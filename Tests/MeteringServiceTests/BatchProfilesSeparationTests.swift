import CustomerAPI
import Foundation
import MeshAuth
import MeteringAPI
import MeteringService
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit
import ServiceTestSupport
import Transport
import XCTest

/// BatchGetConsumptionProfiles with authentication on: a real customer-service process and
/// metering-service on a loopback port, both verifying tokens of one development key pair;
/// metering asks customer-service (with its own token) whose usage data each meter point's is.
/// A meter point the caller may not read is PERMISSION_DENIED beside the ones it may, with the
/// message GetConsumptionProfile gives, and audited.
final class BatchProfilesSeparationTests: XCTestCase {
    private var directory = ""
    private var tokens: TestTokens!
    private var customer: ServiceProcess!
    private var customerChannel: GRPCChannel!
    private var harness: MeteringHarness!
    private var premises: CustomerPremiseDirectory!
    private var meteringServer: GRPCServer!
    private var meteringChannel: GRPCChannel!
    private var metering: MeteringServiceClient { MeteringServiceClient(channel: meteringChannel) }

    private var regulatedPremise = "", nonRegulatedPremise = ""
    private let t0 = Fixtures.february

    override func setUp() async throws {
        directory = NSTemporaryDirectory() + "metering-batch-auth-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory + "/customer", withIntermediateDirectories: true)
        tokens = try TestTokens(directory: directory + "/keys")
        customer = try await ServiceProcess.start(
            "customer-service", dataDirectory: directory + "/customer", log: URL(fileURLWithPath: directory + "/customer.log"),
            arguments: ["--auth-public-key", tokens.keys.publicKeyPath])
        customerChannel = try GRPCChannel(target: "127.0.0.1:\(customer.port)")

        var peer = ChannelConfiguration()
        peer.interceptors = [BearerCredentials(token: try tokens.token(.corporate, ["customer.read"], subject: "metering-service"))]
        premises = try CustomerPremiseDirectory(target: "127.0.0.1:\(customer.port)", configuration: peer)
        harness = try await MeteringHarness.make(premises: premises)
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.interceptors = [AuthInterceptor(verifier: try tokens.verifier())]
        meteringServer = GRPCServer(
            configuration: configuration, services: [MeteringServiceImpl(operations: harness.operations, customers: premises.customerDirectory)])
        try await meteringServer.start()
        meteringChannel = try GRPCChannel(target: "127.0.0.1:\(try XCTUnwrap(meteringServer.port))")

        // Rita has a regulated account at one premise, Noah a non-regulated one at another.
        let admin = try options(.corporate, ["customer.write"])
        let customers = CustomerServiceClient(channel: customerChannel)
        for (name, scope) in [("Rita", RegulatoryScope.regulated), ("Noah", .nonRegulated)] {
            let premise = try await customers.createPremise(.with {
                $0.premise = .with {
                    $0.address = .with { $0.regionCode = "US"; $0.postalCode = "94105"; $0.locality = "SF"; $0.addressLines = ["\(name)'s house"] }
                    $0.serviceTypes = [.electric]
                }
            }, options: admin).premise!.premiseID
            let customerID = try await customers.createCustomer(
                .with { $0.customer = .with { $0.displayName = name; $0.kind = .residential } }, options: admin).customer!.customerID
            _ = try await customers.createCustomerAccount(.with {
                $0.account = .with { $0.customerID = customerID; $0.premiseID = premise; $0.regulatoryScope = scope; $0.currencyCode = "USD" }
            }, options: admin)
            if scope == .regulated { regulatedPremise = premise } else { nonRegulatedPremise = premise }
        }
    }

    override func tearDown() async throws {
        meteringChannel?.close()
        customerChannel?.close()
        await meteringServer?.shutdown(gracePeriod: .seconds(1))
        await harness?.close()
        customer?.stop(grace: .seconds(2))
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func options(_ unit: BusinessUnitClaim, _ scopes: [String] = ["metering.read"], requestID: String = "") throws -> CallOptions {
        try tokens.options(unit, scopes, requestID: requestID)
    }

    /// A meter point of `scope` at `premise` with a day of readings (created through the RPC, so
    /// its premise is checked with customer-service).
    private func meterPoint(_ premise: String, _ scope: RegulatoryScope) async throws -> String {
        var point = Fixtures.meterPoint(premise: premise)
        point.regulatoryScope = scope
        let id = try await metering.createMeterPoint(.with { $0.meterPoint = point }, options: try options(.corporate, ["metering.write"]))
            .meterPoint!.meterPointID
        _ = try await harness.ingest([(0..<96).map { Fixtures.reading(id, t0 + Int64($0) * Fixtures.interval, 300) }])
        return id
    }

    private func profileRequest(_ meterPointID: String) -> GetConsumptionProfileRequest {
        .with { $0.subject = .meterPointID(meterPointID); $0.timeRange = Fixtures.range(t0, t0 + Fixtures.day); $0.bucketSize = .hour }
    }

    /// A reading's editor is who edited it (the token's subject), for the VEE audit trail.
    func testAnEditRecordsTheCallersSubjectAsEditor() async throws {
        let meter = try await meterPoint(regulatedPremise, .regulated)
        let token = try tokens.token(.corporate, ["metering.write"], subject: "ops-analyst-17")
        let edited = try await metering.editReading(
            Fixtures.correction(meter, t0, requestID: "edit-subject-1"),
            options: .timeout(.seconds(10), metadata: ["authorization": "Bearer \(token)"]))
        XCTAssertEqual(edited.reading?.editor, "ops-analyst-17")
    }

    func testAForbiddenMeterPointIsDeniedBesideTheAllowedOnes() async throws {
        let own = [try await meterPoint(regulatedPremise, .regulated), try await meterPoint(regulatedPremise, .regulated)].sorted()
        let other = try await meterPoint(nonRegulatedPremise, .nonRegulated)
        let regulated = try options(.regulated, requestID: "batch-1")
        let answered = try await metering.batchGetConsumptionProfiles(.with {
            $0.premiseIDs = [nonRegulatedPremise, regulatedPremise]
            $0.timeRange = Fixtures.range(t0, t0 + Fixtures.day)
            $0.bucketSize = .hour
        }, options: regulated).meterPoints
        XCTAssertEqual(answered.map(\.meterPoint?.meterPointID), [other] + own)

        // The other business's meter point: GetConsumptionProfile's refusal, no profile.
        var refusal = ""
        do {
            _ = try await metering.getConsumptionProfile(profileRequest(other), options: try options(.regulated))
            XCTFail("the regulated business may not read non-regulated usage data")
        } catch {
            refusal = RPCError(from: error).message
        }
        XCTAssertEqual(answered[0].statusCode, Int32(StatusCode.permissionDenied.rawValue))
        XCTAssertEqual(answered[0].statusMessage, refusal)
        XCTAssertTrue(refusal.contains("usage data"), refusal)
        XCTAssertNil(answered[0].profile)

        // Its own meter points: what GetConsumptionProfile answers the same caller.
        for (index, id) in own.enumerated() {
            XCTAssertEqual(answered[index + 1].statusCode, 0)
            try await XCTAssertEqualAsync(
                try await metering.getConsumptionProfile(profileRequest(id), options: regulated).profile, answered[index + 1].profile)
        }

        let records = try await metering.listAuditRecords(.with { $0.pageSize = 100 }, options: try options(.corporate)).auditRecords
        XCTAssertEqual(
            records.filter { $0.requestID == "batch-1" }.map { [$0.subject, "\($0.decision)", $0.resourceKind, $0.resourceID] },
            [["regulated-app", "denied", "ConsumptionProfile", other]])

        await assertStatus(.permissionDenied, "needs scope 'metering.read'") {
            try await self.metering.batchGetConsumptionProfiles(.with {
                $0.meterPointIDs = own
                $0.timeRange = Fixtures.range(self.t0, self.t0 + Fixtures.day)
                $0.bucketSize = .hour
            }, options: try self.options(.corporate, ["customer.read"]))
        }
    }
}
