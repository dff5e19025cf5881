import CustomerAPI
import Foundation
import MeteringAPI
import QuantumTypes
import RPCCore
import Transport
import XCTest

/// metering-service started with `--peer customer=host:port` checks CreateMeterPoint's premise
/// with a real customer-service process: an existing premise is accepted, an unknown one is
/// FAILED_PRECONDITION, a stopped customer-service is UNAVAILABLE with nothing stored, and a
/// customer-service restarted on the same port and data is used again.
final class CustomerPremiseCheckTests: XCTestCase {
    private var directory = ""
    private var children: [ServiceProcess] = []
    private var channels: [GRPCChannel] = []

    override func setUp() async throws {
        directory = NSTemporaryDirectory() + "metering-premise-check-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory + "/customer", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/metering", withIntermediateDirectories: true)
    }

    /// Runs even when the test failed or threw: no child outlives it.
    override func tearDown() async throws {
        for channel in channels { channel.close() }
        for child in children { child.stop(grace: .seconds(2)) }
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func startCustomerService(port: Int = 0) async throws -> ServiceProcess {
        let customer = try await ServiceProcess.start(
            "customer-service", dataDirectory: directory + "/customer", log: URL(fileURLWithPath: directory + "/customer.log"), port: port)
        children.append(customer)
        return customer
    }

    private func channel(_ port: Int) throws -> GRPCChannel {
        let channel = try GRPCChannel(target: "127.0.0.1:\(port)")
        channels.append(channel)
        return channel
    }

    func testCreateMeterPointChecksThePremiseWithALiveCustomerService() async throws {
        let customer = try await startCustomerService()
        let metering = try await ServiceProcess.start(
            "metering-service", dataDirectory: directory + "/metering", log: URL(fileURLWithPath: directory + "/metering.log"),
            arguments: ["--peer", "customer=127.0.0.1:\(customer.port)"])
        children.append(metering)
        let customers = CustomerServiceClient(channel: try channel(customer.port))
        let meters = MeteringServiceClient(channel: try channel(metering.port))
        let options = CallOptions.timeout(.seconds(10))

        let premise = try await customers.createPremise(.with {
            $0.premise = .with {
                $0.displayName = "12 Oak St"
                $0.address = .with {
                    $0.regionCode = "US"
                    $0.postalCode = "94105"
                    $0.administrativeArea = "CA"
                    $0.locality = "San Francisco"
                    $0.addressLines = ["12 Oak St"]
                }
                $0.serviceTypes = [.electric]
            }
        }, options: options).premise
        let premiseID = try XCTUnwrap(premise?.premiseID)
        let create = { @Sendable (premise: String) async throws -> CreateMeterPointResponse in
            try await meters.createMeterPoint(.with { $0.meterPoint = Fixtures.meterPoint(premise: premise) }, options: options)
        }
        let storedCount = { @Sendable () async throws -> Int in
            try await meters.listMeterPoints(.with { $0.pageSize = 100 }, options: options).meterPoints.count
        }

        let created = try await create(premiseID)
        XCTAssertEqual(created.meterPoint?.premiseID, premiseID)

        let unknown = Fixtures.missingID("PRM")
        await assertStatus(.failedPrecondition, unknown) { try await create(unknown) }
        let countBefore = try await storedCount()
        XCTAssertEqual(countBefore, 1)

        // customer-service drains and exits: the check cannot be made, so nothing is created.
        XCTAssertEqual(customer.stop(SIGTERM), 0, "customer-service exits 0 on SIGTERM")
        await assertStatus(.unavailable, "customer-service") { try await create(premiseID) }
        await assertStatus(.unavailable, premiseID) { try await create(premiseID) }
        let countWhileDown = try await storedCount()
        XCTAssertEqual(countWhileDown, 1, "nothing is stored while the premise cannot be checked")

        // Back on the same port with the same data: metering-service reconnects by itself.
        _ = try await startCustomerService(port: customer.port)
        let deadline = ContinuousClock.now + .seconds(3)
        var lastError: (any Error)?
        var recovered: CreateMeterPointResponse?
        while recovered == nil && ContinuousClock.now < deadline {
            do {
                recovered = try await create(premiseID)
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        XCTAssertNotNil(recovered, "CreateMeterPoint still fails 3 s after customer-service came back: \(lastError.map { "\($0)" } ?? "")")
        XCTAssertEqual(recovered?.meterPoint?.premiseID, premiseID)
        let countAfter = try await storedCount()
        XCTAssertEqual(countAfter, 2)
        XCTAssertEqual(metering.isRunning, true, "metering-service kept running throughout")
    }
}
