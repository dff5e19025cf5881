import AssetAPI
import CustomerAPI
import DemoData
import FinanceAPI
import Foundation
import MeteringAPI
import OutageAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import Transport
import XCTest

/// The real `demo-seed` against the five real services: what it reports is what the services
/// hold, and a second run with the same parameters changes nothing.
final class DemoSeedMeshTests: XCTestCase {
    private var mesh: MeshProcesses?
    private var channels: [GRPCChannel] = []

    override func tearDown() {
        channels.forEach { $0.close() }
        mesh?.stop()
        super.tearDown()
    }

    func testSeedsTheMeshAndASecondRunIsIdempotent() async throws {
        let mesh = try MeshProcesses()
        self.mesh = mesh
        try mesh.start()
        // The first seed whose 20-customer plan has both gaps and spikes for VEE to find.
        let now = ISO8601DateFormatter().date(from: "2026-03-10T15:30:00Z")!
        let (seed, plan) = (UInt64(1)...).lazy.map { ($0, DemoPlanner.plan(DemoParameters(seed: $0, customers: 20, days: 2, now: now))) }
            .first { $0.1.meterPoints.contains { !$0.profile.gaps.isEmpty } && $0.1.meterPoints.contains { !$0.profile.spikes.isEmpty } }!
        let arguments = ["--customers", "20", "--days", "2", "--seed", "\(seed)", "--now", "2026-03-10T15:30:00Z"]

        let first = try mesh.runDemoSeed(arguments)
        XCTAssertEqual(first.status, 0, "stdout:\n\(first.stdout)\nstderr:\n\(first.stderr)")
        XCTAssertTrue(first.stderr.contains("readings: "), "a progress line per phase when stderr is not a terminal:\n\(first.stderr)")
        let summary = try Self.summary(first.stdout)
        let counts = try XCTUnwrap(summary["counts"] as? [String: Int])
        XCTAssertEqual(counts["customers"], 20)
        XCTAssertEqual(counts["open_outages"], 1)
        let stored = try await storedCounts(mesh, summary)
        XCTAssertEqual(stored["customers"], counts["customers"])
        XCTAssertEqual(stored["products"], counts["products"])
        XCTAssertEqual(stored["tariffs"], counts["tariffs"])
        XCTAssertEqual(stored["assets"], counts["assets"])
        XCTAssertEqual(stored["meter_points"], counts["meter_points"])
        XCTAssertEqual(stored["outages"], counts["outages"])
        XCTAssertEqual(stored["open_outages"], 1)
        XCTAssertEqual(stored["crews"], counts["crews"])
        XCTAssertEqual(stored["work_orders"], counts["work_orders"])
        XCTAssertEqual(stored["tour_bills"], 1)
        XCTAssertGreaterThan(stored["tour_accounts"] ?? 0, 1, "the tour customer has a regulated and a non-regulated account")
        XCTAssertGreaterThan(stored["tour_consents"] ?? 0, 0)
        XCTAssertGreaterThan(stored["tour_received_readings"] ?? 0, 0, "the tour meter exports solar energy")
        // The readings are exactly the planned ones: every interval of both days, both channels
        // (solar), minus the planned gaps.
        let tour = plan.meterPoints[plan.tour.meterPoint].profile
        XCTAssertEqual(stored["tour_readings"], (2 * 96 - tour.gaps.reduce(0) { $0 + $1.count }) * 2)
        let plannedReadings = plan.meterPoints.reduce(0) { total, meter in
            total + (2 * 96 - meter.profile.gaps.reduce(0) { $0 + $1.count }) * (meter.profile.hasSolar ? 2 : 1)
        }
        XCTAssertEqual(counts["readings"], plannedReadings)
        XCTAssertEqual(counts["bills"], 20, "one bill per regulated account")
        // VEE finds exactly the planned defects on the delivered channel, and nothing else.
        XCTAssertEqual(stored["vee_missing_intervals"], plan.meterPoints.reduce(0) { $0 + $1.profile.gaps.reduce(0) { $0 + $1.count } })
        XCTAssertEqual(stored["vee_spikes"], plan.meterPoints.reduce(0) { $0 + $1.profile.spikes.count })
        XCTAssertGreaterThan(stored["downstream_of_fault"] ?? 0, 2, "the open outage's transformer feeds service points and meters")

        let second = try mesh.runDemoSeed(arguments)
        XCTAssertEqual(second.status, 0, "stdout:\n\(second.stdout)\nstderr:\n\(second.stderr)")
        XCTAssertEqual(try Self.summary(second.stdout) as NSDictionary, summary as NSDictionary, "same ids and counts")
        let again = try await storedCounts(mesh, summary)
        XCTAssertEqual(again, stored, "nothing was created twice")
    }

    func testAFailedCallStopsTheRunNamingThePhase() throws {
        let mesh = try MeshProcesses()
        self.mesh = mesh
        try mesh.start()
        // finance-service is not where the tariffs phase looks: nothing listens on port 1.
        var arguments = MeshProcesses.services.flatMap { ["--\($0)", mesh.target($0)] }
        arguments[arguments.firstIndex(of: "--finance")! + 1] = "127.0.0.1:1"
        let run = try mesh.runDemoSeed(arguments + ["--customers", "5", "--days", "2"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("demo-seed: tariffs: UNAVAILABLE"), run.stderr)
    }

    /// The last stdout line, as JSON.
    static func summary(_ stdout: String) throws -> [String: Any] {
        let line = try XCTUnwrap(stdout.split(separator: "\n").last)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    /// What the services hold, counted through their List RPCs.
    private func storedCounts(_ mesh: MeshProcesses, _ summary: [String: Any]) async throws -> [String: Int] {
        func channel(_ service: String) throws -> GRPCChannel {
            let channel = try GRPCChannel(target: mesh.target(service))
            channels.append(channel)
            return channel
        }
        let customer = CustomerServiceClient(channel: try channel("customer"))
        let metering = MeteringServiceClient(channel: try channel("metering"))
        let asset = AssetServiceClient(channel: try channel("asset"))
        let outage = OutageServiceClient(channel: try channel("outage"))
        let finance = FinanceServiceClient(channel: try channel("finance"))
        let customerID = try XCTUnwrap(summary["customer_id"] as? String)
        let accountID = try XCTUnwrap(summary["account_id"] as? String)
        let meterPointID = try XCTUnwrap(summary["meter_point_id"] as? String)
        let faultAssetID = try XCTUnwrap(summary["asset_id"] as? String)
        let from = try XCTUnwrap(ISO8601DateFormatter().date(from: try XCTUnwrap(summary["period_from"] as? String)))
        let to = try XCTUnwrap(ISO8601DateFormatter().date(from: try XCTUnwrap(summary["period_to"] as? String)))

        var counts: [String: Int] = [:]
        counts["customers"] = try await customer.listCustomers(.with { $0.pageSize = 1000 }).customers.count
        counts["products"] = try await customer.listProducts(.with { $0.pageSize = 1000 }).products.count
        counts["tariffs"] = try await finance.listTariffs(.with { $0.pageSize = 1000 }).tariffs.count
        counts["assets"] = try await asset.listAssets(.with { $0.pageSize = 1000 }).assets.count
        counts["meter_points"] = try await metering.listMeterPoints(.with { $0.pageSize = 1000 }).meterPoints.count
        counts["outages"] = try await outage.listOutages(.with { $0.pageSize = 1000 }).outages.count
        counts["open_outages"] = try await outage.listOutages(.with { $0.openOnly = true }).outages.count
        counts["crews"] = try await outage.listCrews(.with { $0.pageSize = 1000 }).crews.count
        counts["work_orders"] = try await outage.listWorkOrders(.with { $0.pageSize = 1000 }).workOrders.count
        counts["tour_bills"] = try await finance.listBills(.with { $0.accountID = accountID }).bills.count
        counts["tour_transactions"] = try await finance.listTransactions(.with { $0.accountID = accountID }).transactions.count
        counts["tour_accounts"] = try await customer.listCustomerAccounts(.with { $0.customerID = customerID }).accounts.count
        counts["tour_consents"] = try await customer.listConsents(.with { $0.customerID = customerID }).consents.count
        counts["downstream_of_fault"] = Int(try await asset.getDownstream(.with { $0.assetID = faultAssetID }).totalSize)
        let range = TimeRange.with {
            $0.startTime = Timestamp(seconds: Int64(from.timeIntervalSince1970))
            $0.endTime = Timestamp(seconds: Int64(to.timeIntervalSince1970))
        }
        let readings = try await metering.streamReadings(.with { $0.meterPointID = meterPointID; $0.timeRange = range; $0.chunkSize = 10_000 }) { response in
            var rows: [MeterReading] = []
            for try await chunk in response.messages { rows += chunk.readings }
            return rows
        }
        var missing = 0, spikes = 0
        for meterPoint in try await metering.listMeterPoints(.with { $0.pageSize = 1000 }).meterPoints {
            let report = try await metering.validateReadings(.with {
                $0.meterPointID = meterPoint.meterPointID
                $0.timeRange = range
                $0.channel = .delivered
            })
            missing += report.gaps.reduce(0) { $0 + Int($1.missingIntervalCount) }
            spikes += report.spikes.count
        }
        counts["vee_missing_intervals"] = missing
        counts["vee_spikes"] = spikes
        counts["tour_readings"] = readings.count
        counts["tour_received_readings"] = readings.filter { $0.channel == .received }.count
        return counts
    }
}
