import CustomerAPI
import FinanceAPI
import Foundation
import GatewayAPI
import MeshAuth
import MeteringAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceTestSupport
import Transport
import XCTest

/// The regulated/non-regulated separation policy (issue 11) through the gateway, with the six
/// real processes running with authentication on: caller business unit × data kind × consent
/// state → what GetCustomerOverview shows, withholds or refuses, and the audit rows the
/// services wrote for it.
///
/// Seed (`MeshSeed`, as a corporate caller with every scope): Ana holds a REGULATED account
/// (agreement, $50 charge, $20 payment) and a NON_REGULATED account (charger agreement, plus a
/// $29.99 charge posted here) at premise P1, whose REGULATED meter point has 72 kWh of readings.
final class GatewaySeparationTests: XCTestCase {
    nonisolated(unsafe) private static var mesh: TestMesh?
    nonisolated(unsafe) private static var auth: MeshAuthentication?
    nonisolated(unsafe) private static var seed: MeshSeed?
    nonisolated(unsafe) private static var nonRegulatedCharge = ""
    nonisolated(unsafe) private static var startFailure: String?

    private static let regulatedRule = "affiliate.regulated-data"
    private static let nonRegulatedRule = "affiliate.non-regulated-data"
    private static let chargerChargeMinor: Int64 = 2999
    /// The consumption section metering-service refused carries the rule its message names.
    private static let consumptionWithheldRule = regulatedRule

    private var channels: [GRPCChannel] = []

    override func setUp() async throws {
        if Self.mesh == nil && Self.startFailure == nil {
            var mesh: TestMesh?
            do {
                let auth = try MeshAuthentication.generate()
                Self.auth = auth
                let started = TestMesh(authentication: auth)
                mesh = started
                try started.start()
                let corporate = try auth.token(.corporate, scopes: MeshAuthentication.allScopes, subject: "gateway-tests-seed")
                let seed = try await MeshSeed.make(mesh: started, bearerToken: corporate)
                Self.nonRegulatedCharge = try await FinanceServiceClient(channel: channel(to: started.port(of: .finance))).postTransaction(.with {
                    $0.transaction = .with {
                        $0.accountID = seed.anaNonRegulated
                        $0.transactionType = .charge
                        $0.amount = .with { $0.currencyCode = "USD"; $0.minorUnits = Self.chargerChargeMinor }
                        $0.regulatoryScope = .nonRegulated
                        $0.effectiveTime = Timestamp(seconds: Int64(Date().timeIntervalSince1970) - 600)
                    }
                    $0.requestID = "seed-charger-charge"
                }, options: MeshAuthentication.bearer(corporate)).transaction?.transactionID ?? ""
                Self.seed = seed
                Self.mesh = started
            } catch {
                Self.startFailure = "\(error)\n\(mesh?.logs ?? "")"
                mesh?.stopAll()
                Self.auth?.remove()
            }
        }
        if let failure = Self.startFailure { throw MeshError("the authenticated mesh did not start: \(failure)") }
    }

    override func tearDown() async throws {
        channels.forEach { $0.close() }
        channels = []
    }

    override class func tearDown() {
        mesh?.stopAll()
        mesh = nil
        auth?.remove()
        super.tearDown()
    }

    private var seed: MeshSeed { Self.seed! }
    private var mesh: TestMesh { Self.mesh! }
    private var auth: MeshAuthentication { Self.auth! }

    private func channel(to port: Int) throws -> GRPCChannel {
        let channel = try GRPCChannel(target: "127.0.0.1:\(port)")
        channels.append(channel)
        return channel
    }

    private var gateway: GatewayServiceClient { get throws { GatewayServiceClient(channel: try channel(to: mesh.gatewayPort)) } }
    private var customers: CustomerServiceClient { get throws { CustomerServiceClient(channel: try channel(to: mesh.port(of: .customer))) } }
    private var metering: MeteringServiceClient { get throws { MeteringServiceClient(channel: try channel(to: mesh.port(of: .metering))) } }

    /// A caller of `unit` with the scopes an overview needs (or `scopes`), under a fresh subject
    /// so its audit rows are its own.
    private func caller(_ unit: BusinessUnitClaim, scopes: [String] = MeshAuthentication.overviewScopes) throws -> (token: String, subject: String) {
        let subject = "gw-sep-\(unit.rawValue)-\(UUID().uuidString.prefix(8))"
        return (try auth.token(unit, scopes: scopes, subject: subject), subject)
    }

    private func overview(_ token: String, requestID: String? = nil) async throws -> CustomerOverview {
        try await gateway.getCustomerOverview(
            .with { $0.customerID = seed.ana }, options: MeshAuthentication.bearer(token, requestID: requestID)
        ).overview ?? CustomerOverview()
    }

    private func account(_ overview: CustomerOverview, _ id: String) -> AccountView? {
        overview.accounts.first { $0.account?.accountID == id }
    }

    private func meterPoint(_ overview: CustomerOverview) throws -> MeterPointView {
        XCTAssertEqual(overview.premisesStatus?.state, .ok)
        let premise = try XCTUnwrap(overview.premises.first { $0.premise?.premiseID == seed.premise1 })
        XCTAssertEqual(premise.meterPointsStatus?.state, .ok)
        return try XCTUnwrap(premise.meterPoints.first { $0.meterPoint?.meterPointID == seed.meterPoint1 })
    }

    /// The regulated account as the seed made it: its agreement and product, $30 owed, the
    /// payment then the charge.
    private func assertRegulatedAccountComplete(_ view: AccountView?, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(view?.agreements.map { $0.agreement?.agreementID }, [seed.anaAgreement], file: file, line: line)
        XCTAssertEqual(view?.agreements.first?.product?.productID, seed.regulatedProduct, file: file, line: line)
        XCTAssertEqual(view?.balanceStatus?.state, .ok, "\(String(describing: view?.balanceStatus))", file: file, line: line)
        XCTAssertEqual(view?.balance?.amount?.minorUnits, 3000, file: file, line: line)
        XCTAssertEqual(view?.transactionsStatus?.state, .ok, file: file, line: line)
        XCTAssertEqual(view?.recentTransactions.map(\.transactionID), [seed.payment, seed.charge], file: file, line: line)
    }

    private func assertChargerAccountComplete(_ view: AccountView?, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(view?.agreements.map { $0.agreement?.agreementID }, [seed.anaChargerAgreement], file: file, line: line)
        XCTAssertEqual(view?.balanceStatus?.state, .ok, "\(String(describing: view?.balanceStatus))", file: file, line: line)
        XCTAssertEqual(view?.balance?.amount?.minorUnits, Self.chargerChargeMinor, file: file, line: line)
        XCTAssertEqual(view?.transactionsStatus?.state, .ok, file: file, line: line)
        XCTAssertEqual(view?.recentTransactions.map(\.transactionID), [Self.nonRegulatedCharge], file: file, line: line)
    }

    private func assertConsumptionVisible(_ overview: CustomerOverview, file: StaticString = #filePath, line: UInt = #line) throws {
        let view = try meterPoint(overview)
        XCTAssertEqual(view.consumptionStatus?.state, .ok, "\(String(describing: view.consumptionStatus))", file: file, line: line)
        XCTAssertEqual(view.consumption?.totalDelivered?.milliValue, MeshSeed.deliveredMilli, file: file, line: line)
    }

    /// What a non-regulated caller without consent gets: the charger account only, the regulated
    /// account and agreement counted as withheld, the regulated meter point's consumption WITHHELD.
    private func assertRegulatedDataWithheld(_ overview: CustomerOverview, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(overview.accounts.compactMap { $0.account?.accountID }, [seed.anaNonRegulated], file: file, line: line)
        XCTAssertEqual(overview.accountsStatus?.state, .ok, file: file, line: line)
        XCTAssertEqual(overview.accountsStatus?.withheldCount, 1, file: file, line: line)
        XCTAssertEqual(overview.accountsStatus?.rule, Self.regulatedRule, file: file, line: line)
        let charger = account(overview, seed.anaNonRegulated)
        assertChargerAccountComplete(charger, file: file, line: line)
        XCTAssertEqual(charger?.agreementsStatus?.withheldCount, 1, "the regulated agreement", file: file, line: line)
        XCTAssertEqual(charger?.agreementsStatus?.rule, Self.regulatedRule, file: file, line: line)

        let consumption = try meterPoint(overview)
        XCTAssertNil(consumption.consumption, file: file, line: line)
        let status = try XCTUnwrap(consumption.consumptionStatus, file: file, line: line)
        XCTAssertEqual(status.state, .withheld, "\(status)", file: file, line: line)
        XCTAssertEqual(status.code, Int32(StatusCode.permissionDenied.rawValue), file: file, line: line)
        XCTAssertEqual(status.service, "quantum.metering.v1.MeteringService", file: file, line: line)
        XCTAssertEqual(
            status.message,
            "separation rule \(Self.regulatedRule): a non_regulated caller may not read this usage data without the customer's active consent",
            file: file, line: line)
        XCTAssertEqual(status.rule, Self.consumptionWithheldRule, file: file, line: line)
    }

    // MARK: Caller business unit × data kind

    func testCorporateCallerSeesBothBusinessesData() async throws {
        let overview = try await overview(try caller(.corporate).token)
        XCTAssertEqual(overview.customerStatus?.state, .ok)
        XCTAssertEqual(overview.customer?.contact?.emails.map(\.address), ["ana@example.com"])
        XCTAssertEqual(overview.accountsStatus?.state, .ok)
        XCTAssertEqual(overview.accountsStatus?.withheldCount, 0)
        XCTAssertEqual(Set(overview.accounts.compactMap { $0.account?.accountID }), [seed.anaRegulated, seed.anaNonRegulated])
        assertRegulatedAccountComplete(account(overview, seed.anaRegulated))
        assertChargerAccountComplete(account(overview, seed.anaNonRegulated))
        XCTAssertEqual(account(overview, seed.anaRegulated)?.agreementsStatus?.withheldCount, 0)
        try assertConsumptionVisible(overview)
        XCTAssertEqual(overview.interactionsStatus?.state, .ok)
        XCTAssertEqual(overview.interactionsStatus?.withheldCount, 0)
        XCTAssertEqual(overview.recentInteractions.map(\.interactionID), seed.interactions)
    }

    func testRegulatedCallerSeesTheRegulatedAccountOnly() async throws {
        let overview = try await overview(try caller(.regulated).token)
        XCTAssertEqual(overview.customerStatus?.state, .ok, "Ana is a regulated customer too: her contact is the caller's own")
        XCTAssertEqual(overview.customer?.contact?.emails.map(\.address), ["ana@example.com"])
        XCTAssertEqual(overview.accounts.compactMap { $0.account?.accountID }, [seed.anaRegulated])
        XCTAssertEqual(overview.accountsStatus?.state, .ok)
        XCTAssertEqual(overview.accountsStatus?.withheldCount, 1)
        XCTAssertEqual(overview.accountsStatus?.rule, Self.nonRegulatedRule)
        let regulated = account(overview, seed.anaRegulated)
        assertRegulatedAccountComplete(regulated)
        XCTAssertEqual(regulated?.agreementsStatus?.withheldCount, 1, "the charger agreement")
        XCTAssertEqual(regulated?.agreementsStatus?.rule, Self.nonRegulatedRule)
        try assertConsumptionVisible(overview)
    }

    func testNonRegulatedCallerWithoutConsentSeesItsOwnAccountAndTheRegulatedDataIsWithheld() async throws {
        let overview = try await overview(try caller(.nonRegulated).token)
        try assertRegulatedDataWithheld(overview)
        // Ana has relationships on both sides: to the non-regulated business she is its own
        // customer, so her contact details stay (SeparationPolicy.contactSide).
        XCTAssertEqual(overview.customerStatus?.state, .ok)
        XCTAssertEqual(overview.customer?.contactWithheld, false)
        XCTAssertEqual(overview.customer?.contact?.emails.map(\.address), ["ana@example.com"])
        // The premise and its meter point are not separated data; only the usage is.
        XCTAssertEqual(overview.premises.map { $0.premise?.premiseID }, [seed.premise1])
    }

    // MARK: Consent state

    func testConsentBridgesForTheNonRegulatedCallerUntilRevoked() async throws {
        let corporate = try caller(.corporate, scopes: ["customer.read", "customer.write"]).token
        let nonRegulated = try caller(.nonRegulated).token
        let granted = try await customers.grantConsent(.with {
            $0.consent = .with {
                $0.customerID = seed.ana
                $0.recipientBusinessUnit = .nonRegulated
                $0.scopes = [.contactDetails, .accountAndBilling, .usageData, .interactions]
                $0.source = .online
                $0.sourceReference = "gateway-separation-test"
            }
        }, options: MeshAuthentication.bearer(corporate)).consent
        let consentID = try XCTUnwrap(granted?.consentID)
        var revoked = false
        do {
            let bridged = try await overview(nonRegulated)
            XCTAssertEqual(Set(bridged.accounts.compactMap { $0.account?.accountID }), [seed.anaRegulated, seed.anaNonRegulated])
            XCTAssertEqual(bridged.accountsStatus?.state, .ok)
            XCTAssertEqual(bridged.accountsStatus?.withheldCount, 0)
            assertRegulatedAccountComplete(account(bridged, seed.anaRegulated))
            assertChargerAccountComplete(account(bridged, seed.anaNonRegulated))
            try assertConsumptionVisible(bridged)

            _ = try await customers.revokeConsent(
                .with { $0.consentID = consentID; $0.reason = "customer withdrew" }, options: MeshAuthentication.bearer(corporate))
            revoked = true
            try assertRegulatedDataWithheld(try await overview(nonRegulated))
        } catch {
            if !revoked {
                _ = try? await customers.revokeConsent(.with { $0.consentID = consentID }, options: MeshAuthentication.bearer(corporate))
            }
            throw error
        }
    }

    // MARK: Tokens and scopes

    func testTheJSONFrontAsksForATokenAndAppliesTheCallersSeparation() async throws {
        let path = "/v1/customers/\(seed.ana)/overview"
        let anonymous = try HTTPTestClient.get(port: mesh.gatewayAdminPort, path: path)
        XCTAssertEqual(anonymous.status, 401, anonymous.body)
        XCTAssertEqual(anonymous.headers["www-authenticate"], "Bearer")
        XCTAssertTrue(anonymous.body.contains("\"UNAUTHENTICATED\""), anonymous.body)
        let token = try caller(.nonRegulated).token
        let response = try HTTPTestClient.request(
            port: mesh.gatewayAdminPort, method: "GET", path: path, headers: ["Authorization": "Bearer \(token)"])
        XCTAssertEqual(response.status, 200, response.body)
        try assertRegulatedDataWithheld(try XCTUnwrap(try GetCustomerOverviewResponse(jsonString: response.body).overview))
    }

    func testWithoutATokenTheGatewayAnswersUnauthenticated() async throws {
        await XCTAssertStatus(.unauthenticated) {
            _ = try await gateway.getCustomerOverview(.with { $0.customerID = seed.ana }, options: .timeout(.seconds(10)))
        }
    }

    func testATokenWithoutGatewayReadIsRefusedNamingTheScope() async throws {
        let token = try caller(.corporate, scopes: ["customer.read", "metering.read", "finance.read", "outage.read"]).token
        await XCTAssertStatus(.permissionDenied, "gateway.read") { _ = try await overview(token) }
    }

    /// The customer is the overview's essential section: without customer.read the whole call
    /// fails with customer-service's PERMISSION_DENIED, naming the service and the scope.
    func testATokenWithoutCustomerReadFailsTheEssentialCustomerSection() async throws {
        let token = try caller(.corporate, scopes: ["gateway.read", "metering.read", "finance.read", "outage.read"]).token
        await XCTAssertStatus(.permissionDenied, "customer-service", "customer.read") { _ = try await overview(token) }
    }

    // MARK: Audit

    func testTheServicesAuditTheCrossBoundaryReadsAndDenialsOfTheOverview() async throws {
        let admin = MeshAuthentication.bearer(try caller(.corporate, scopes: ["customer.read", "metering.read"]).token)
        func records(_ list: (QuantumTypes.ListAuditRecordsRequest, CallOptions) async throws -> QuantumTypes.ListAuditRecordsResponse, subject: String) async throws -> [AuditRecord] {
            try await list(.with { $0.filter = "subject = \"\(subject)\""; $0.pageSize = 1000 }, admin).auditRecords
        }
        let customers = try self.customers, metering = try self.metering

        // A non-regulated caller without consent: customer-service left the regulated account
        // and agreement out (FILTERED), metering-service refused the regulated usage (DENIED).
        let nonRegulated = try caller(.nonRegulated)
        let requestID = "gw-sep-audit-\(UUID().uuidString.prefix(8))"
        _ = try await overview(nonRegulated.token, requestID: requestID)
        let customerRows = try await records(customers.listAuditRecords, subject: nonRegulated.subject)
        XCTAssertEqual(
            Set(customerRows.map { "\($0.resourceKind) \($0.decision.label) \($0.rule) \($0.filteredCount)" }),
            ["CustomerAccount FILTERED \(Self.regulatedRule) 1", "ServiceAgreement FILTERED \(Self.regulatedRule) 1"],
            "\(customerRows)")
        XCTAssertEqual(customerRows.count, 2, "nothing else is written: \(customerRows)")
        for row in customerRows {
            XCTAssertEqual(row.callerBusinessUnit, .nonRegulated)
            XCTAssertEqual(row.dataScope, .regulated)
            XCTAssertEqual(row.requestID, requestID, "the gateway forwards the caller's x-request-id")
        }
        let meteringRows = try await records(metering.listAuditRecords, subject: nonRegulated.subject)
        XCTAssertEqual(meteringRows.count, 1, "\(meteringRows)")
        let denial = try XCTUnwrap(meteringRows.first)
        XCTAssertEqual(denial.decision, .denied)
        XCTAssertEqual(denial.rule, Self.regulatedRule)
        XCTAssertEqual(denial.resourceID, seed.meterPoint1)
        XCTAssertEqual(denial.resourceKind, "ConsumptionProfile")
        XCTAssertEqual(denial.customerID, seed.ana)
        XCTAssertEqual(denial.method, "/quantum.metering.v1.MeteringService/BatchGetConsumptionProfiles", "the overview asks in one batch")
        XCTAssertEqual(denial.requestID, requestID)

        // A corporate caller: every read of either side's accounts is allowed by its role, and audited.
        let corporate = try caller(.corporate)
        _ = try await overview(corporate.token)
        let corporateRows = try await records(customers.listAuditRecords, subject: corporate.subject)
        let accountReads = corporateRows.filter { $0.resourceKind == "CustomerAccount" }
        XCTAssertEqual(Set(accountReads.map(\.resourceID)), [seed.anaRegulated, seed.anaNonRegulated], "\(corporateRows)")
        XCTAssertTrue(corporateRows.allSatisfy { $0.decision == .allowedByCorporateRole }, "\(corporateRows)")
        let corporateUsage = try await records(metering.listAuditRecords, subject: corporate.subject)
        XCTAssertEqual(corporateUsage.map { "\($0.decision.label) \($0.resourceID)" }, ["ALLOWED_BY_CORPORATE_ROLE \(seed.meterPoint1)"])

        // The audit trail is for corporate callers only.
        let regulated = MeshAuthentication.bearer(try caller(.regulated, scopes: ["customer.read"]).token)
        await XCTAssertStatus(.permissionDenied, AuditTrailAccess.rule) {
            _ = try await customers.listAuditRecords(.with { $0.pageSize = 10 }, options: regulated)
        }
    }
}

extension AuditDecision {
    /// "DENIED" for AUDIT_DECISION_DENIED, as the audit filter spells it.
    fileprivate var label: String { (protoName ?? "\(rawValue)").replacingOccurrences(of: "AUDIT_DECISION_", with: "") }
}
