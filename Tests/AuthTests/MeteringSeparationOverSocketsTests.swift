import CustomerAPI
import Foundation
import MeshAuth
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

/// metering-service and customer-service, both requiring tokens, on loopback ports: usage data
/// of a regulated meter point across the boundary, decided with customer-service's accounts and
/// consents (asked with metering's own service token) on every call.
final class MeteringSeparationOverSocketsTests: XCTestCase {
    private var customers: AuthenticatedCustomerServer!
    private var directory: ScratchDirectory!
    private var store: SQLiteStore!
    private var meteringServer: GRPCServer!
    private var meteringChannel: GRPCChannel!
    private var metering: MeteringServiceClient { MeteringServiceClient(channel: meteringChannel) }

    private var customerID = "", meterPointID = ""
    private let start: Int64 = 1_738_368_000

    override func setUp() async throws {
        customers = try await AuthenticatedCustomerServer.start()
        let tokens = customers.tokens
        let admin = bearer(try tokens.token(.corporate, scopes: ["customer.write", "metering.write"], subject: "seeder"))
        let (premise, customer, _) = try await customers.seedRegulatedCustomer(admin: admin)
        customerID = customer

        directory = try ScratchDirectory()
        store = try await SQLiteStore.open(path: directory.path + "/metering.sqlite3", schema: MeteringSchema.schema)
        var peer = ChannelConfiguration()
        peer.interceptors = [BearerCredentials(token: try tokens.token(.corporate, scopes: ["customer.read"], subject: "metering-service"))]
        let premises = try CustomerPremiseDirectory(target: "127.0.0.1:\(try XCTUnwrap(customers.server.port))", configuration: peer)
        let operations = MeteringOperations(store: store, pages: PageTokenCodec(secret: Array("auth-tests-metering-page-secret".utf8)), premises: premises)
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.interceptors = [AuthInterceptor(verifier: tokens.verifier())]
        meteringServer = GRPCServer(
            configuration: configuration, services: [MeteringServiceImpl(operations: operations, customers: premises.customerDirectory)])
        try await meteringServer.start()
        meteringChannel = try GRPCChannel(target: "127.0.0.1:\(try XCTUnwrap(meteringServer.port))")

        // The premise check on create goes to customer-service with metering's own token.
        meterPointID = try await metering.createMeterPoint(.with {
            $0.meterPoint = .with {
                $0.premiseID = premise
                $0.commodity = .electric
                $0.unit = .kwh
                $0.intervalLength = ProtoDuration(seconds: 900)
                $0.purpose = .revenue
                $0.regulatoryScope = .regulated
                $0.installTime = Timestamp(seconds: start - 86_400)
            }
        }, options: admin).meterPoint!.meterPointID
    }

    override func tearDown() async throws {
        meteringChannel.close()
        await meteringServer.shutdown(gracePeriod: .seconds(1))
        await store.close()
        directory.remove()
        await customers.stop()
    }

    private func caller(_ unit: BusinessUnitClaim) throws -> CallOptions {
        bearer(try customers.tokens.token(unit, scopes: ["metering.read"], subject: unit.rawValue + "-app"), requestID: "m-1")
    }

    private func readings(_ options: CallOptions) async throws -> Int {
        let request = StreamReadingsRequest.with {
            $0.meterPointID = meterPointID
            $0.timeRange = .with { $0.startTime = Timestamp(seconds: start); $0.endTime = Timestamp(seconds: start + 86_400) }
        }
        return try await metering.streamReadings(request, options: options) { response in
            var count = 0
            for try await chunk in response.messages { count += chunk.readings.count }
            return count
        }
    }

    func testUsageDataOfARegulatedMeterPoint() async throws {
        let none = try await readings(try caller(.regulated))
        XCTAssertEqual(none, 0, "the regulated business reads its own meter point")

        let other = try caller(.nonRegulated)
        await XCTAssertStatus(.permissionDenied, "separation rule affiliate.regulated-data") { _ = try await self.readings(other) }
        await XCTAssertStatus(.permissionDenied, "usage data") {
            _ = try await self.metering.getConsumptionProfile(.with {
                $0.subject = .meterPointID(self.meterPointID)
                $0.timeRange = .with { $0.startTime = Timestamp(seconds: self.start); $0.endTime = Timestamp(seconds: self.start + 86_400) }
                $0.bucketSize = .day
            }, options: other)
        }

        let admin = bearer(try customers.tokens.token(.corporate, scopes: ["customer.write"], subject: "seeder"))
        let consent = try await customers.client.grantConsent(.with {
            $0.consent = .with { $0.customerID = customerID; $0.recipientBusinessUnit = .nonRegulated; $0.scopes = [.usageData] }
        }, options: admin).consent!.consentID
        let bridged = try await readings(other)
        XCTAssertEqual(bridged, 0)
        _ = try await customers.client.revokeConsent(.with { $0.consentID = consent }, options: admin)
        await XCTAssertStatus(.permissionDenied, "affiliate.regulated-data") { _ = try await self.readings(other) }

        let records = try await metering.listAuditRecords(.with { $0.pageSize = 100 }, options: try caller(.corporate)).auditRecords
        let n = "non_regulated-app", reg = "affiliate.regulated-data"
        XCTAssertEqual(records.map { [$0.subject, "\($0.decision)", $0.resourceKind, $0.resourceID, $0.customerID, $0.rule, $0.consentID, $0.requestID] }, [
            [n, "denied", "MeterReading", meterPointID, customerID, reg, "", "m-1"],
            [n, "denied", "ConsumptionProfile", meterPointID, customerID, reg, "", "m-1"],
            [n, "allowedByConsent", "MeterReading", meterPointID, customerID, reg, consent, "m-1"],
            [n, "denied", "MeterReading", meterPointID, customerID, reg, "", "m-1"],
        ])
        await XCTAssertStatus(.permissionDenied, "audit.corporate-only") {
            _ = try await self.metering.listAuditRecords(.with { $0.pageSize = 1 }, options: try self.caller(.nonRegulated))
        }
    }
}
