import CustomerAPI
import Foundation
import GatewayAPI
import GatewayCore
import GRPCHealthV1
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceTestSupport
import Transport
import XCTest

/// The six real processes (five services + gateway) on loopback: every operation's content
/// against the seed, partial answers while a downstream is down, recovery after its restart,
/// deadlines, essential failures and BillAccount idempotency.
///
/// The mesh starts once for the class (it takes a few seconds) and every child process is
/// killed in the class tear-down; tests that stop or pause a downstream put it back.
final class GatewayMeshTests: XCTestCase {
    private static let fixture = SeededMesh()
    private var mesh: TestMesh!
    private var seed: MeshSeed!

    private var channel: GRPCChannel!
    private var gateway: GatewayServiceClient!

    override func setUp() async throws {
        (mesh, seed) = try await Self.fixture.started()
        channel = try GRPCChannel(target: "127.0.0.1:\(mesh.gatewayPort)")
        gateway = GatewayServiceClient(channel: channel)
    }

    override func tearDown() async throws {
        channel?.close()
        // A test that paused or stopped a downstream must not leave it so for the next one.
        if let mesh {
            for process in mesh.services.values { process.signal(SIGCONT) }
        }
    }

    override class func tearDown() {
        fixture.stop()
        super.tearDown()
    }

    private func overview(_ customerID: String, timeout: Duration = .seconds(10)) async throws -> CustomerOverview {
        try await gateway.getCustomerOverview(.with { $0.customerID = customerID }, options: .timeout(timeout)).overview ?? CustomerOverview()
    }

    private func assertFailure(_ code: StatusCode, _ fragment: String?, file: StaticString = #filePath, line: UInt = #line,
                               _ body: () async throws -> Void) async {
        do {
            try await body()
            XCTFail("expected \(code.name)", file: file, line: line)
        } catch {
            let status = RPCError(from: error)
            XCTAssertEqual(status.code, code, "\(status)", file: file, line: line)
            if let fragment {
                XCTAssertTrue(status.message.contains(fragment), "'\(status.message)' does not name '\(fragment)'", file: file, line: line)
            }
        }
    }

    // MARK: Content

    func testCustomerOverviewMatchesTheSeed() async throws {
        let overview = try await overview(seed.ana)
        XCTAssertEqual(overview.customer?.displayName, "Ana Silva")
        XCTAssertEqual(overview.customerStatus?.state, .ok)
        XCTAssertEqual(overview.accountsStatus?.state, .ok)
        XCTAssertEqual(Set(overview.accounts.compactMap { $0.account?.accountID }), [seed.anaRegulated, seed.anaNonRegulated])

        let regulated = try XCTUnwrap(overview.accounts.first { $0.account?.accountID == seed.anaRegulated })
        XCTAssertEqual(regulated.agreements.map { $0.agreement?.agreementID }, [seed.anaAgreement])
        XCTAssertEqual(regulated.agreements.first?.product?.productID, seed.regulatedProduct)
        XCTAssertEqual(regulated.agreements.first?.productStatus?.state, .ok)
        XCTAssertEqual(regulated.balance?.amount?.minorUnits, 3000, "$50 charge − $20 payment")
        XCTAssertEqual(regulated.balanceStatus?.state, .ok)
        XCTAssertEqual(regulated.recentTransactions.map(\.transactionID), [seed.payment, seed.charge], "newest first")
        XCTAssertEqual(regulated.transactionsStatus?.state, .ok)
        let charger = try XCTUnwrap(overview.accounts.first { $0.account?.accountID == seed.anaNonRegulated })
        XCTAssertEqual(charger.agreements.first?.product?.productID, seed.chargerProduct)
        XCTAssertEqual(charger.account?.regulatoryScope, .nonRegulated)

        XCTAssertEqual(overview.premisesStatus?.state, .ok)
        XCTAssertEqual(overview.premises.map { $0.premise?.premiseID }, [seed.premise1])
        let premise = try XCTUnwrap(overview.premises.first)
        XCTAssertEqual(premise.meterPointsStatus?.state, .ok)
        XCTAssertEqual(premise.meterPoints.map { $0.meterPoint?.meterPointID }, [seed.meterPoint1])
        XCTAssertEqual(premise.meterPoints.first?.consumptionStatus?.state, .ok)
        XCTAssertEqual(premise.meterPoints.first?.consumption?.totalDelivered?.milliValue, MeshSeed.deliveredMilli)
        XCTAssertEqual(premise.outagesStatus?.state, .ok)
        XCTAssertEqual(premise.openOutages.map(\.outageID), [seed.outage])

        XCTAssertEqual(overview.interactionsStatus?.state, .ok)
        XCTAssertEqual(overview.recentInteractions.map(\.interactionID), seed.interactions)
        let window = try XCTUnwrap(overview.consumptionWindow)
        XCTAssertEqual((window.endTime?.seconds ?? 0) - (window.startTime?.seconds ?? 0), 30 * 86_400, "default window")
    }

    /// The gateway's /metrics says how overviews made their second hop: after the first
    /// overview of a customer its ids are remembered and the next one is made in one hop.
    func testMetricsCountOverviewsMadeInOneHop() async throws {
        func besideSummary() throws -> Int {
            let text = try HTTPTestClient.get(port: mesh.gatewayAdminPort, path: "/metrics").body
            let line = text.split(separator: "\n").first { $0.hasPrefix("gateway_overview_second_hop_total{made=\"beside_summary\"}") }
            return line.flatMap { $0.split(separator: " ").last }.flatMap { Int(Double($0) ?? -1) } ?? 0
        }
        _ = try await overview(seed.bo)
        let before = try besideSummary()
        _ = try await overview(seed.bo)
        XCTAssertEqual(try besideSummary(), before + 1)
    }

    func testPremiseOverviewMatchesTheSeed() async throws {
        let overview = try await gateway.getPremiseOverview(.with { $0.premiseID = seed.premise1 }, options: .timeout(.seconds(10))).overview
        let premise = try XCTUnwrap(overview)
        XCTAssertEqual(premise.premise?.premiseID, seed.premise1)
        XCTAssertEqual(Set(premise.accounts.map(\.accountID)), [seed.anaRegulated, seed.anaNonRegulated])
        XCTAssertEqual(premise.meterPoints.map { $0.meterPoint?.meterPointID }, [seed.meterPoint1])
        XCTAssertEqual(premise.meterPoints.first?.latestReadingStatus?.state, .ok)
        XCTAssertEqual(premise.meterPoints.first?.latestReading?.intervalStart?.seconds, seed.lastReadingStart)
        XCTAssertEqual(premise.meterPoints.first?.latestReading?.value?.milliValue, 1000)
        XCTAssertEqual(premise.premiseAssets.map(\.assetID), [seed.meter1])
        XCTAssertEqual(premise.upstreamAssets.map(\.assetID), [seed.meter1, seed.transformer, seed.feeder, seed.substation])
        XCTAssertEqual(premise.upstreamStatus?.state, .ok)
        XCTAssertEqual(premise.openOutages.map(\.outageID), [seed.outage], "recorded at the premise and on the feeder: once")
        XCTAssertEqual(Set(premise.openWorkOrders.map(\.workOrderID)), [seed.transformerWorkOrder, seed.premiseWorkOrder])
        for status in [premise.accountsStatus, premise.meterPointsStatus, premise.premiseAssetsStatus, premise.outagesStatus, premise.workOrdersStatus] {
            XCTAssertEqual(status?.state, .ok)
        }
    }

    func testOutageImpactMatchesTheSeed() async throws {
        let byOutage = try await gateway.getOutageImpact(.with { $0.subject = .outageID(seed.outage) }, options: .timeout(.seconds(10)))
        let impact = try XCTUnwrap(byOutage.impact)
        XCTAssertEqual(impact.outage?.outageID, seed.outage)
        XCTAssertEqual(impact.rootAssetID, seed.feeder)
        XCTAssertEqual(impact.downstreamAssets.map(\.assetID).first, seed.transformer, "breadth-first")
        XCTAssertEqual(Set(impact.downstreamAssets.map(\.assetID)), [seed.transformer, seed.meter1, seed.meter2])
        XCTAssertEqual(Set(impact.meterPointIDs), [seed.meterPoint1, seed.meterPoint2])
        XCTAssertEqual(impact.premises.map(\.premiseID).sorted(), [seed.premise1, seed.premise2].sorted())
        XCTAssertEqual(impact.targets.map(\.customerID).sorted(), [seed.ana, seed.bo].sorted())
        let ana = try XCTUnwrap(impact.targets.first { $0.customerID == seed.ana })
        XCTAssertEqual(ana.displayName, "Ana Silva")
        XCTAssertEqual(ana.communicationPreferences?.preferredChannels, [.sms, .email])
        XCTAssertEqual(ana.communicationPreferences?.outageAlertsOptIn, true)
        XCTAssertEqual(ana.contact?.emails.first?.address, "ana@example.com")
        XCTAssertEqual(Set(ana.accountIDs), [seed.anaRegulated, seed.anaNonRegulated])
        XCTAssertEqual(ana.premiseIDs, [seed.premise1])
        let counts = try XCTUnwrap(impact.counts)
        XCTAssertEqual(counts.downstreamAssetCount, 3)
        XCTAssertEqual(counts.meterPointCount, 2)
        XCTAssertEqual(counts.premiseCount, 2)
        XCTAssertEqual(counts.accountCount, 3)
        XCTAssertEqual(counts.regulatedAccountCount, 2)
        XCTAssertEqual(counts.nonRegulatedAccountCount, 1)
        XCTAssertEqual(counts.customerCount, 2)
        XCTAssertFalse(impact.truncated)
        for status in [impact.topologyStatus, impact.meterPointsStatus, impact.premisesStatus, impact.targetsStatus] {
            XCTAssertEqual(status?.state, .ok)
        }

        let byAsset = try await gateway.getOutageImpact(
            .with { $0.subject = .assetID(seed.transformer); $0.maxItems = 1 }, options: .timeout(.seconds(10)))
        let cut = try XCTUnwrap(byAsset.impact)
        XCTAssertEqual(cut.rootAssetID, seed.transformer)
        XCTAssertTrue(cut.truncated)
        XCTAssertEqual(cut.downstreamAssets.count, 1)
        XCTAssertEqual(cut.targets.count, 1)
        XCTAssertEqual(cut.counts?.downstreamAssetCount, 2, "counts stay exact")
        XCTAssertEqual(cut.counts?.accountCount, 3)

        await assertFailure(.notFound, "asset-service") {
            _ = try await self.gateway.getOutageImpact(.with { $0.subject = .assetID("AST-" + String(repeating: "0", count: 26)) })
        }
    }

    func testBillAccountIsIdempotentAndPricedFromTariffAndConsumption() async throws {
        // The two whole UTC days before today: 48 hourly readings of 1 kWh.
        let today = Int64(Date().timeIntervalSince1970) / 86_400
        func date(_ day: Int64) -> CalendarDate {
            let components = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date(timeIntervalSince1970: TimeInterval(day * 86_400)))
            return .with { $0.year = Int32(components.year!); $0.month = Int32(components.month!); $0.day = Int32(components.day!) }
        }
        let request = BillAccountRequest.with {
            $0.accountID = seed.boRegulated
            $0.billingPeriod = .with { $0.startDate = date(today - 2); $0.endDate = date(today - 1) }
            $0.requestID = "bill-bo-" + UUID().uuidString
        }
        let first = try await gateway.billAccount(request, options: .timeout(.seconds(10)))
        let bill = try XCTUnwrap(first.bill)
        XCTAssertEqual(bill.accountID, seed.boRegulated)
        XCTAssertEqual(bill.tariffID, seed.tariff)
        XCTAssertEqual(bill.totalUsage?.milliValue, 48_000)
        XCTAssertEqual(bill.total?.minorUnits, 1000 + 48 * 25, "$10 fixed + 48 kWh × 25¢")
        XCTAssertEqual(bill.regulatoryScope, .regulated)
        XCTAssertEqual(first.agreementIDs, [seed.boAgreement])
        XCTAssertEqual(first.meterPointIDs, [seed.meterPoint2])

        let again = try await gateway.billAccount(request, options: .timeout(.seconds(10)))
        XCTAssertEqual(again.bill?.billID, bill.billID, "same request_id, same bill")
        XCTAssertEqual(again.bill?.chargeTransactionID, bill.chargeTransactionID)

        await assertFailure(.invalidArgument, "request_id") {
            var missing = request
            missing.requestID = ""
            _ = try await self.gateway.billAccount(missing)
        }
        await assertFailure(.failedPrecondition, "tariff") {
            var charger = request
            charger.accountID = self.seed.anaNonRegulated
            _ = try await self.gateway.billAccount(charger)
        }
    }

    func testReliabilityReportCountsCustomersServed() async throws {
        let now = Int64(Date().timeIntervalSince1970)
        let report = try await gateway.getReliabilityReport(.with {
            $0.period = .with {
                $0.startTime = Timestamp(seconds: now - 7 * 86_400)
                $0.endTime = Timestamp(seconds: now + 86_400)
            }
        }, options: .timeout(.seconds(10)))
        XCTAssertEqual(report.indices?.customersServed, 3)
        XCTAssertEqual(report.indices?.openOutageCount, 1)
        XCTAssertEqual(report.customersServedByScope.map(\.regulatoryScope), [.regulated, .nonRegulated])
        XCTAssertEqual(report.customersServedByScope.map(\.customersServed), [2, 1])
        let asOf = try XCTUnwrap(report.customersServedAsOfTime?.seconds)
        XCTAssertLessThanOrEqual(asOf, Int64(Date().timeIntervalSince1970) + 1, "now, as the period ends later")
    }

    // MARK: Errors

    func testEssentialFailuresAndBadInput() async throws {
        await assertFailure(.notFound, "customer-service") {
            _ = try await self.overview("CUS-" + String(repeating: "0", count: 26))
        }
        await assertFailure(.invalidArgument, "customer_id") { _ = try await self.overview("") }
        await assertFailure(.invalidArgument, "premise_id") { _ = try await self.gateway.getPremiseOverview(.with { $0.premiseID = "CUS-1" }) }
        await assertFailure(.notFound, "customer-service") {
            _ = try await self.gateway.getPremiseOverview(.with { $0.premiseID = "PRM-" + String(repeating: "0", count: 26) })
        }
    }

    func testHealthIsServing() async throws {
        let health = HealthClient(channel: channel)
        let response = try await health.check(.with { $0.service = "" }, options: .timeout(.seconds(5)))
        XCTAssertEqual(response.status, .serving)
    }

    // MARK: Partial answers, recovery, deadlines

    func testMeteringDownGivesPartialAnswerThenRecovers() async throws {
        let metering = try XCTUnwrap(mesh.services[.metering])
        XCTAssertEqual(metering.stop(), 0, "SIGTERM drains and exits 0")
        defer { if !metering.isRunning { try? mesh.restart(.metering) } }

        let partial = try await overview(seed.ana)
        XCTAssertEqual(partial.customer?.displayName, "Ana Silva")
        let premise = try XCTUnwrap(partial.premises.first)
        let meterStatus = try XCTUnwrap(premise.meterPointsStatus)
        XCTAssertEqual(meterStatus.state, .failed)
        XCTAssertEqual(meterStatus.code, 14)
        XCTAssertTrue(meterStatus.message.contains("metering"), meterStatus.message)
        XCTAssertEqual(meterStatus.service, "quantum.metering.v1.MeteringService")
        XCTAssertTrue(premise.meterPoints.isEmpty)
        XCTAssertEqual(partial.accountsStatus?.state, .ok)
        XCTAssertEqual(partial.premisesStatus?.state, .ok)
        XCTAssertEqual(partial.interactionsStatus?.state, .ok)
        XCTAssertEqual(premise.outagesStatus?.state, .ok)
        XCTAssertEqual(premise.openOutages.map(\.outageID), [seed.outage])
        XCTAssertEqual(partial.accounts.first { $0.account?.accountID == seed.anaRegulated }?.balance?.amount?.minorUnits, 3000)

        try mesh.restart(.metering)
        let restarted = ContinuousClock.now
        var complete = false
        while !complete && ContinuousClock.now - restarted < .seconds(2) {
            let again = try await overview(seed.ana)
            let meterPoint = again.premises.first?.meterPoints.first
            complete = again.premises.first?.meterPointsStatus?.state == .ok && meterPoint?.consumptionStatus?.state == .ok
                && meterPoint?.consumption?.totalDelivered?.milliValue == MeshSeed.deliveredMilli
            if !complete { try await Task.sleep(for: .milliseconds(50)) }
        }
        XCTAssertTrue(complete, "metering was not used again within 2 s of its restart")
    }

    func testACallerDeadlineShorterThanTheWorkIsDeadlineExceededInTime() async throws {
        let start = ContinuousClock.now
        await assertFailure(.deadlineExceeded, nil) { _ = try await self.overview(self.seed.ana, timeout: .milliseconds(1)) }
        XCTAssertLessThan(ContinuousClock.now - start, .milliseconds(500))
    }

    func testAPausedEssentialDownstreamIsDeadlineExceededInTime() async throws {
        let customer = try XCTUnwrap(mesh.services[.customer])
        customer.signal(SIGSTOP)
        defer { customer.signal(SIGCONT) }
        let start = ContinuousClock.now
        await assertFailure(.deadlineExceeded, "customer-service") {
            _ = try await self.overview(self.seed.ana, timeout: .milliseconds(400))
        }
        let elapsed = ContinuousClock.now - start
        XCTAssertLessThan(elapsed, .milliseconds(400 + 250), "answered at the deadline, not after")
    }

    func testAPausedSectionDownstreamGivesAPartialAnswerBeforeTheDeadline() async throws {
        let finance = try XCTUnwrap(mesh.services[.finance])
        finance.signal(SIGSTOP)
        defer { finance.signal(SIGCONT) }
        let start = ContinuousClock.now
        // Downstream calls end 150 ms (the mesh's --deadline-margin) before the caller's 1.5 s.
        let partial = try await overview(seed.ana, timeout: .milliseconds(1500))
        XCTAssertLessThan(ContinuousClock.now - start, .milliseconds(1500))
        XCTAssertGreaterThanOrEqual(ContinuousClock.now - start, .milliseconds(1300), "finance was given until the margin")
        let account = try XCTUnwrap(partial.accounts.first)
        XCTAssertEqual(account.balanceStatus?.state, .failed)
        XCTAssertEqual(account.balanceStatus?.code, 4, "DEADLINE_EXCEEDED")
        XCTAssertTrue(account.balanceStatus?.message.contains("finance-service") ?? false)
        XCTAssertEqual(partial.premises.first?.meterPoints.first?.consumptionStatus?.state, .ok)
        XCTAssertEqual(partial.accountsStatus?.state, .ok)
    }
}
