import CustomerAPI
import CustomerDomain
import CustomerService
import Foundation
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit
import Synchronization
import Transport
import XCTest

/// Remembers which methods the server handled and with which status, to prove every RPC of
/// the service was exercised over the wire.
private final class MethodRecorder: ServerInterceptor {
    let calls = Mutex<[String: Set<String>]>([:])

    func intercept(context: ServerContext, next: () async throws -> Void) async throws {
        do {
            try await next()
            record(context.method.method, "OK")
        } catch {
            record(context.method.method, RPCError(from: error).code.name)
            throw error
        }
    }

    private func record(_ method: String, _ code: String) {
        calls.withLock { _ = $0[method, default: []].insert(code) }
    }
}

/// Every RPC of quantum.customer.v1.CustomerService through a real `GRPCServer` on a loopback
/// port, called with our `GRPCChannel` and the generated `CustomerServiceClient`.
final class RPCOverSocketsTests: XCTestCase {
    private var harness: DomainHarness!
    private var server: GRPCServer!
    private var channel: GRPCChannel!
    private let recorder = MethodRecorder()
    private var client: CustomerServiceClient { CustomerServiceClient(channel: channel) }

    override func setUp() async throws {
        harness = try await DomainHarness.make()
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.interceptors = [recorder]
        server = GRPCServer(configuration: configuration, services: [CustomerServiceImpl(operations: harness.operations)])
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
        let mask = { (paths: [String]) in FieldMask(paths: paths) }

        // Customers
        let customer = try await client.createCustomer(.with { $0.customer = Fixtures.customer(); $0.requestID = "c-1" }).customer!
        XCTAssertTrue(customer.customerID.hasPrefix("CUS-"))
        let gotCustomer = try await client.getCustomer(.with { $0.customerID = customer.customerID }).customer
        XCTAssertEqual(gotCustomer, customer)
        let batch = try await client.batchGetCustomers(.with { $0.customerIDs = [customer.customerID, Fixtures.missingID("CUS"), customer.customerID] })
        XCTAssertEqual(batch.customers.map(\.customerID), [customer.customerID])
        XCTAssertEqual(batch.missingIDs, [Fixtures.missingID("CUS")])
        let renamed = try await client.updateCustomer(.with {
            $0.customer = .with { $0.customerID = customer.customerID; $0.displayName = "Ana M. Silva" }
            $0.updateMask = mask(["display_name"])
        }).customer!
        XCTAssertEqual(renamed.displayName, "Ana M. Silva")
        let listedCustomers = try await client.listCustomers(.with { $0.filter = #"display_name:"ana m""# })
        XCTAssertEqual(listedCustomers.customers.map(\.customerID), [customer.customerID])

        // Premises
        let premise = try await client.createPremise(.with { $0.premise = Fixtures.premise() }).premise!
        try await assertEqualAsync(try await client.getPremise(.with { $0.premiseID = premise.premiseID }).premise, premise)
        try await assertEqualAsync(try await client.batchGetPremises(.with { $0.premiseIDs = [premise.premiseID] }).premises, [premise])
        let zoned = try await client.updatePremise(.with {
            $0.premise = .with { $0.premiseID = premise.premiseID; $0.timeZone = "America/Los_Angeles" }
            $0.updateMask = mask(["time_zone"])
        }).premise!
        XCTAssertEqual(zoned.timeZone, "America/Los_Angeles")

        // Products
        let product = try await client.createProduct(.with { $0.product = Fixtures.product(.regulated, name: "E-1") }).product!
        let charger = try await client.createProduct(.with { $0.product = Fixtures.product(.nonRegulated, name: "Charger") }).product!
        try await assertEqualAsync(try await client.getProduct(.with { $0.productID = product.productID }).product, product)
        try await assertEqualAsync(try await client.batchGetProducts(.with { $0.productIDs = [charger.productID] }).products, [charger])
        let described = try await client.updateProduct(.with {
            $0.product = .with { $0.productID = product.productID; $0.summary = "Flat rate" }
            $0.updateMask = mask(["summary"])
        }).product!
        XCTAssertEqual(described.summary, "Flat rate")
        let nonRegulatedProducts = try await client.listProducts(.with { $0.filter = "regulatory_scope = NON_REGULATED" })
        XCTAssertEqual(nonRegulatedProducts.products.map(\.productID), [charger.productID])

        // Accounts
        let account = try await client.createCustomerAccount(.with {
            $0.account = .with { $0.customerID = customer.customerID; $0.premiseID = premise.premiseID; $0.regulatoryScope = .regulated }
        }).account!
        let evAccount = try await client.createCustomerAccount(.with {
            $0.account = .with { $0.customerID = customer.customerID; $0.premiseID = premise.premiseID; $0.regulatoryScope = .nonRegulated }
        }).account!
        try await assertEqualAsync(try await client.getCustomerAccount(.with { $0.accountID = account.accountID }).account, account)
        let named = try await client.updateCustomerAccount(.with {
            $0.account = .with { $0.accountID = account.accountID; $0.currencyCode = "USD" }
            $0.updateMask = mask(["currency_code"])
        }).account!
        XCTAssertEqual(named.currencyCode, "USD")
        let accounts = try await client.listCustomerAccounts(.with { $0.customerID = customer.customerID; $0.pageSize = 1 })
        XCTAssertEqual(accounts.accounts.count, 1)
        XCTAssertFalse(accounts.nextPageToken.isEmpty)
        let premises = try await client.listPremises(.with { $0.customerID = customer.customerID })
        XCTAssertEqual(premises.premises.map(\.premiseID), [premise.premiseID])

        // Agreements
        let agreement = try await client.createServiceAgreement(.with {
            $0.agreement = .with { $0.accountID = account.accountID; $0.productID = product.productID; $0.startDate = Fixtures.anyDate }
        }).agreement!
        try await assertEqualAsync(try await client.getServiceAgreement(.with { $0.agreementID = agreement.agreementID }).agreement, agreement)
        let termed = try await client.updateServiceAgreement(.with {
            $0.agreement = .with { $0.agreementID = agreement.agreementID; $0.terms = "12 months" }
            $0.updateMask = mask(["terms"])
        }).agreement!
        XCTAssertEqual(termed.terms, "12 months")
        try await assertEqualAsync(try await client.listServiceAgreements(.with { $0.accountID = account.accountID }).agreements.count, 1)
        let served = try await client.countCustomersServed(CountCustomersServedRequest())
        XCTAssertEqual([served.customersServed, served.regulatedCount, served.nonRegulatedCount], [2, 1, 1])
        try await assertEqualAsync(try await client.terminateServiceAgreement(.with { $0.agreementID = agreement.agreementID }).agreement?.status, .terminated)
        try await assertEqualAsync(try await client.closeCustomerAccount(.with { $0.accountID = account.accountID }).account?.status, .closed)

        // Interactions and consents
        let interaction = try await client.createInteraction(.with {
            $0.interaction = .with {
                $0.customerID = customer.customerID
                $0.accountID = account.accountID
                $0.channel = .call
                $0.interactionTime = Timestamp(seconds: 1_750_000_000)
                $0.topic = "move-out"
            }
        }).interaction!
        try await assertEqualAsync(try await client.getInteraction(.with { $0.interactionID = interaction.interactionID }).interaction, interaction)
        let calls = try await client.listInteractions(.with { $0.customerID = customer.customerID; $0.filter = "channel = CALL" })
        XCTAssertEqual(calls.interactions, [interaction])
        let summary = try await client.getCustomerSummary(.with { $0.customerID = customer.customerID })
        XCTAssertEqual(summary.recentInteractions?.interactions, [interaction])
        XCTAssertEqual(summary.accounts?.accounts.count, 2)
        let consent = try await client.grantConsent(.with {
            $0.consent = .with { $0.customerID = customer.customerID; $0.recipientBusinessUnit = .nonRegulated; $0.scopes = [.contactDetails] }
        }).consent!
        try await assertEqualAsync(try await client.getConsent(.with { $0.consentID = consent.consentID }).consent, consent)
        try await assertEqualAsync(try await client.listConsents(.with { $0.customerID = customer.customerID }).consents, [consent])
        try await assertEqualAsync(try await client.revokeConsent(.with { $0.consentID = consent.consentID }).consent?.state, .revoked)

        // Market: segments, campaigns, audience, opportunities, competitors
        let segment = try await client.createMarketSegment(.with {
            $0.segment = .with { $0.displayName = "CA homes"; $0.criteria = .with { $0.administrativeAreas = ["CA"] } }
        }).segment!
        XCTAssertEqual(segment.estimatedSize, 1)
        try await assertEqualAsync(try await client.getMarketSegment(.with { $0.segmentID = segment.segmentID }).segment, segment)
        try await assertEqualAsync(try await client.updateMarketSegment(.with {
            $0.segment = .with { $0.segmentID = segment.segmentID; $0.summary = "houses" }
            $0.updateMask = mask(["summary"])
        }).segment?.summary, "houses")
        try await assertEqualAsync(try await client.listMarketSegments(.with { $0.filter = #"display_name:"ca""# }).segments.count, 1)
        let campaign = try await client.createMarketingCampaign(.with {
            $0.campaign = .with { $0.displayName = "Chargers"; $0.segmentID = segment.segmentID; $0.productIDs = [charger.productID] }
        }).campaign!
        try await assertEqualAsync(try await client.getMarketingCampaign(.with { $0.campaignID = campaign.campaignID }).campaign, campaign)
        try await assertEqualAsync(try await client.updateMarketingCampaign(.with {
            $0.campaign = .with { $0.campaignID = campaign.campaignID; $0.status = .active }
            $0.updateMask = mask(["status"])
        }).campaign?.status, .active)
        try await assertEqualAsync(try await client.listMarketingCampaigns(.with { $0.filter = "status = ACTIVE" }).campaigns.count, 1)
        let audience = try await client.listCampaignAudience(.with { $0.campaignID = campaign.campaignID })
        XCTAssertEqual(audience.members.map(\.customerID), [customer.customerID], "a non-regulated customer (the EV account)")
        XCTAssertEqual(audience.members.first?.basis, .nonRegulatedCustomer)
        _ = evAccount

        let opportunity = try await client.createSalesOpportunity(.with {
            $0.opportunity = .with { $0.party = .prospect(.with { $0.displayName = "Kim" }); $0.productID = charger.productID }
        }).opportunity!
        try await assertEqualAsync(try await client.getSalesOpportunity(.with { $0.opportunityID = opportunity.opportunityID }).opportunity, opportunity)
        try await assertEqualAsync(try await client.updateSalesOpportunity(.with {
            $0.opportunity = .with { $0.opportunityID = opportunity.opportunityID; $0.owner = "kim" }
            $0.updateMask = mask(["owner"])
        }).opportunity?.owner, "kim")
        let won = try await client.transitionOpportunityStage(.with { $0.opportunityID = opportunity.opportunityID; $0.toStage = .closedWon })
        XCTAssertEqual(won.opportunity?.stage, .closedWon)
        try await assertEqualAsync(try await client.listSalesOpportunities(.with { $0.filter = #"owner = "kim" AND stage = CLOSED_WON"# }).opportunities.count, 1)
        _ = try await client.deleteSalesOpportunity(.with { $0.opportunityID = opportunity.opportunityID })

        let competitor = try await client.createCompetitorProfile(.with {
            $0.competitor = .with { $0.displayName = "SunCo"; $0.markets = ["CA", "NV"]; $0.websiteURI = "https://sunco.example.com" }
        }).competitor!
        try await assertEqualAsync(try await client.getCompetitorProfile(.with { $0.competitorID = competitor.competitorID }).competitor, competitor)
        try await assertEqualAsync(try await client.updateCompetitorProfile(.with {
            $0.competitor = .with { $0.competitorID = competitor.competitorID; $0.notes = "aggressive pricing" }
            $0.updateMask = mask(["notes"])
        }).competitor?.notes, "aggressive pricing")
        try await assertEqualAsync(try await client.listCompetitorProfiles(.with { $0.filter = #"markets = "NV""# }).competitors.count, 1)
        _ = try await client.deleteCompetitorProfile(.with { $0.competitorID = competitor.competitorID })

        _ = try await client.deleteMarketingCampaign(.with { $0.campaignID = campaign.campaignID })
        _ = try await client.deleteMarketSegment(.with { $0.segmentID = segment.segmentID })

        // Audit trail: served, empty until issue 11 writes it.
        let audit = try await client.listAuditRecords(.with { $0.filter = "decision = DENIED" })
        XCTAssertEqual(audit.auditRecords, [])

        // Every method of the service was called and answered OK at least once.
        let all = Set(CustomerServiceImpl(operations: harness.operations).methodHandlers.map(\.descriptor.method))
        let answered = recorder.calls.withLock { $0 }
        XCTAssertEqual(all.count, 57)
        XCTAssertEqual(Set(answered.filter { $0.value.contains("OK") }.keys), all, "methods never answered OK: \(all.subtracting(answered.keys))")
    }

    func testErrorsTravelAsStatusesWithActionableMessages() async throws {
        let client = self.client
        let missing = Fixtures.missingID("CUS")
        await assertStatus(.notFound, missing) { try await client.getCustomer(.with { $0.customerID = missing }) }
        await assertStatus(.invalidArgument, "customer.kind") {
            try await client.createCustomer(.with { $0.customer = .with { $0.displayName = "No kind" } })
        }
        await assertStatus(.invalidArgument, "update_mask") {
            try await client.updateCustomer(.with { $0.customer = .with { $0.customerID = missing } })
        }
        let existing = try await client.createCustomer(.with { $0.customer = Fixtures.customer(); $0.requestID = "dup" }).customer!
        await assertStatus(.alreadyExists, "dup") {
            try await client.createCustomer(.with { $0.customer = Fixtures.customer("Other"); $0.requestID = "dup" })
        }
        await assertStatus(.failedPrecondition, Fixtures.missingID("PRM")) {
            try await client.createCustomerAccount(.with {
                $0.account = .with {
                    $0.customerID = existing.customerID
                    $0.premiseID = Fixtures.missingID("PRM")
                    $0.regulatoryScope = .regulated
                }
            })
        }
        await assertStatus(.invalidArgument, "page_token") { try await client.listProducts(.with { $0.pageToken = "garbage" }) }
    }
}
