import CustomerAPI
import CustomerDomain
import ProtoRuntime
import QuantumTypes
import ServiceKit
import XCTest

/// The repository over a real SQLite store: migrations, paging, idempotency, filters and the
/// rules that need stored state.
final class StoreTests: XCTestCase {
    private var harness: DomainHarness!
    private var operations: CustomerOperations { harness.operations }

    override func setUp() async throws { harness = try await DomainHarness.make() }
    override func tearDown() async throws { await harness.close() }

    private func createCustomer(_ customer: Customer = Fixtures.customer()) async throws -> Customer {
        try await operations.createCustomer(.with { $0.customer = customer }).customer!
    }

    private func createPremise(_ premise: Premise = Fixtures.premise()) async throws -> Premise {
        try await operations.createPremise(.with { $0.premise = premise }).premise!
    }

    private func createProduct(_ scope: RegulatoryScope) async throws -> Product {
        try await operations.createProduct(.with { $0.product = Fixtures.product(scope) }).product!
    }

    private func openAccount(_ customer: Customer, _ premise: Premise, _ scope: RegulatoryScope) async throws -> CustomerAccount {
        try await operations.createCustomerAccount(.with {
            $0.account = .with {
                $0.customerID = customer.customerID
                $0.premiseID = premise.premiseID
                $0.regulatoryScope = scope
            }
        }).account!
    }

    func testMigrationsCreateEveryTable() async throws {
        XCTAssertEqual(harness.store.schemaVersion, CustomerSchema.schema.latestVersion)
        let tables = try await harness.store.read { db in
            try db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map { try $0.get(0, as: String.self) }
        }
        for table in ["accounts", "agreements", "audit_records", "campaigns", "competitors", "consents", "customers",
                      "idempotency_records", "interactions", "opportunities", "premises", "products", "schema_migrations", "segments"] {
            XCTAssertTrue(tables.contains(table), "missing table \(table) in \(tables)")
        }
        // Reopening an up-to-date file applies nothing and keeps the data.
        _ = try await createCustomer()
        let path = harness.store.path
        await harness.store.close()
        let reopened = try await SQLiteStore.open(path: path, schema: CustomerSchema.schema)
        XCTAssertEqual(reopened.openedAtVersion, CustomerSchema.schema.latestVersion)
        let kept = try await reopened.read { db in try db.scalar("SELECT COUNT(*) FROM customers", as: Int64.self) }
        XCTAssertEqual(kept, 1)
        await reopened.close()
        harness = try await DomainHarness.make()
    }

    func testPagingWalksEveryRowOnceAndTokensAreBoundToTheQuery() async throws {
        var created: [String] = []
        for index in 0..<7 { created.append(try await createCustomer(Fixtures.customer("Customer \(6 - index)")).customerID) }
        var seen: [Customer] = [], token = "", pages = 0
        repeat {
            let page = try await operations.listCustomers(.with { $0.pageSize = 3; $0.pageToken = token; $0.orderBy = "display_name" })
            seen += page.customers
            token = page.nextPageToken
            pages += 1
        } while !token.isEmpty
        XCTAssertEqual(pages, 3)
        XCTAssertEqual(seen.map(\.displayName), (0..<7).map { "Customer \($0)" })
        XCTAssertEqual(Set(seen.map(\.customerID)), Set(created))

        let first = try await operations.listCustomers(.with { $0.pageSize = 2 })
        XCTAssertEqual(first.customers.map(\.customerID), Array(created.prefix(2)), "default order: id = creation order")
        await assertStatus(.invalidArgument, "different query") {
            try await operations.listCustomers(.with { $0.pageToken = first.nextPageToken; $0.filter = "kind = RESIDENTIAL" })
        }
        var altered = Array(first.nextPageToken)
        altered[altered.count / 2] = altered[altered.count / 2] == "A" ? "B" : "A"
        await assertStatus(.invalidArgument, "page_token") {
            try await operations.listCustomers(.with { $0.pageToken = String(altered) })
        }
        await assertStatus(.invalidArgument, "page_size") { try await operations.listCustomers(.with { $0.pageSize = -1 }) }
        await assertStatus(.invalidArgument, "order_by") { try await operations.listCustomers(.with { $0.orderBy = "shoe_size" }) }
    }

    func testIdempotentCreateReplaysRefusesADifferentBodyAndRacesToOneRow() async throws {
        let request = CreateCustomerRequest.with {
            $0.customer = Fixtures.customer()
            $0.requestID = "req-1"
        }
        let first = try await operations.createCustomer(request)
        let replay = try await operations.createCustomer(request)
        XCTAssertEqual(replay, first, "same request_id + same body → the same result")
        var different = request
        different.customer?.displayName = "Someone Else"
        await assertStatus(.alreadyExists, "req-1") { try await operations.createCustomer(different) }
        let count = try await harness.count("customers")
        XCTAssertEqual(count, 1)

        let racing = CreateCustomerRequest.with {
            $0.customer = Fixtures.customer()
            $0.requestID = "req-race"
        }
        let shared = harness.operations
        let results = try await withThrowingTaskGroup(of: CreateCustomerResponse.self) { group in
            for _ in 0..<16 { group.addTask { try await shared.createCustomer(racing) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(Set(results.map { $0.customer!.customerID }).count, 1, "16 racing duplicates → one customer")
        let afterRace = try await harness.count("customers")
        XCTAssertEqual(afterRace, 2)

        let noKey = CreateCustomerRequest.with { $0.customer = Fixtures.customer() }
        _ = try await operations.createCustomer(noKey)
        _ = try await operations.createCustomer(noKey)
        let withoutKeys = try await harness.count("customers")
        XCTAssertEqual(withoutKeys, 4, "an empty request_id means no idempotency")
    }

    func testUnknownIDsAreNotFoundNamingTheIDAndMalformedOnesInvalid() async throws {
        let missing = Fixtures.missingID("CUS")
        await assertStatus(.notFound, missing) { try await operations.getCustomer(.with { $0.customerID = missing }) }
        await assertStatus(.notFound, Fixtures.missingID("ACC")) {
            try await operations.getCustomerAccount(.with { $0.accountID = Fixtures.missingID("ACC") })
        }
        await assertStatus(.notFound, Fixtures.missingID("SEG")) {
            try await operations.deleteMarketSegment(.with { $0.segmentID = Fixtures.missingID("SEG") })
        }
        await assertStatus(.invalidArgument, "customer_id 'nope'") { try await operations.getCustomer(.with { $0.customerID = "nope" }) }
        await assertStatus(.invalidArgument, "customer_id is required") { try await operations.getCustomer(GetCustomerRequest()) }
        await assertStatus(.notFound, missing) {
            try await operations.updateCustomer(.with {
                $0.customer = .with { $0.customerID = missing }
                $0.updateMask = FieldMask(paths: ["display_name"])
            })
        }
    }

    func testAnAccountNeedsAnExistingCustomerAndPremiseAndDerivesRelationshipScopes() async throws {
        let customer = try await createCustomer()
        let missingPremise = Premise.with { $0.premiseID = Fixtures.missingID("PRM") }
        await assertStatus(.failedPrecondition, Fixtures.missingID("PRM")) { try await openAccount(customer, missingPremise, .regulated) }
        let premise = try await createPremise()
        let ghost = Customer.with { $0.customerID = Fixtures.missingID("CUS") }
        await assertStatus(.failedPrecondition, Fixtures.missingID("CUS")) { try await openAccount(ghost, premise, .regulated) }
        let accounts = try await harness.count("accounts")
        XCTAssertEqual(accounts, 0)

        _ = try await openAccount(customer, premise, .nonRegulated)
        _ = try await openAccount(customer, premise, .regulated)
        let stored = try await operations.getCustomer(.with { $0.customerID = customer.customerID }).customer
        XCTAssertEqual(stored?.relationshipScopes, [.regulated, .nonRegulated])
    }

    func testAgreementRulesAgainstTheStore() async throws {
        let customer = try await createCustomer()
        let premise = try await createPremise()
        let account = try await openAccount(customer, premise, .regulated)
        let regulated = try await createProduct(.regulated)
        let charger = try await createProduct(.nonRegulated)
        func agree(_ product: String, on account: String = account.accountID) async throws -> ServiceAgreement {
            try await operations.createServiceAgreement(.with {
                $0.agreement = .with {
                    $0.accountID = account
                    $0.productID = product
                    $0.startDate = Fixtures.anyDate
                }
            }).agreement!
        }
        let agreement = try await agree(regulated.productID)
        XCTAssertEqual(agreement.regulatoryScope, .regulated)
        await assertStatus(.failedPrecondition, "scopes must match") { try await agree(charger.productID) }
        await assertStatus(.failedPrecondition, Fixtures.missingID("PRD")) { try await agree(Fixtures.missingID("PRD")) }
        await assertStatus(.failedPrecondition, Fixtures.missingID("ACC")) {
            try await agree(regulated.productID, on: Fixtures.missingID("ACC"))
        }
        _ = try await operations.closeCustomerAccount(.with { $0.accountID = account.accountID; $0.reason = "move-out" })
        await assertStatus(.failedPrecondition, "closed") { try await agree(regulated.productID) }

        let listed = try await operations.listServiceAgreements(.with { $0.customerID = customer.customerID })
        XCTAssertEqual(listed.agreements.map(\.agreementID), [agreement.agreementID])
        let terminated = try await operations.terminateServiceAgreement(.with { $0.agreementID = agreement.agreementID })
        XCTAssertEqual(terminated.agreement?.status, .terminated)
        let active = try await operations.listServiceAgreements(.with { $0.accountID = account.accountID; $0.filter = "status = ACTIVE" })
        XCTAssertEqual(active.agreements, [])
    }

    func testListFilters() async throws {
        let ana = try await createCustomer(Fixtures.customer("Ana Silva", email: "ana@example.com"))
        _ = try await createCustomer(Fixtures.customer("Blue Bottle Roasters", kind: .commercial, email: "hello@bluebottle.example"))
        var inactive = Fixtures.customer("Carlos Silva", email: "carlos@example.com")
        inactive.status = .inactive
        _ = try await createCustomer(inactive)

        func names(_ filter: String) async throws -> [String] {
            try await operations.listCustomers(.with { $0.filter = filter; $0.orderBy = "display_name" }).customers.map(\.displayName)
        }
        let silvas = try await names(#"display_name:"silva""#)
        XCTAssertEqual(silvas, ["Ana Silva", "Carlos Silva"])
        let byEmail = try await names(#"email = "ANA@example.com""#)
        XCTAssertEqual(byEmail, ["Ana Silva"])
        let commercial = try await names("kind = COMMERCIAL")
        XCTAssertEqual(commercial, ["Blue Bottle Roasters"])
        let activeSilvas = try await names(#"status = ACTIVE AND display_name:"Silva""#)
        XCTAssertEqual(activeSilvas, ["Ana Silva"])
        let full = try await names("status = CUSTOMER_STATUS_INACTIVE")
        XCTAssertEqual(full, ["Carlos Silva"])
        await assertStatus(.invalidArgument, "status") { try await names("status = MAYBE") }
        await assertStatus(.invalidArgument, "unknown field 'shoe_size'") { try await names("shoe_size = 9") }
        await assertStatus(.invalidArgument, "takes :") { try await names(#"display_name = "Ana Silva""#) }

        let gasPremise = try await createPremise(Fixtures.premise(postalCode: "10001", area: "NY", commodities: [.gas]))
        let electricPremise = try await createPremise()
        _ = try await openAccount(ana, gasPremise, .regulated)
        let anaPremises = try await operations.listPremises(.with { $0.customerID = ana.customerID }).premises.map(\.premiseID)
        XCTAssertEqual(anaPremises, [gasPremise.premiseID])
        let gas = try await operations.listPremises(.with { $0.filter = "service_types = GAS" }).premises.map(\.premiseID)
        XCTAssertEqual(gas, [gasPremise.premiseID])
        let byZip = try await operations.listPremises(.with { $0.filter = #"address.postal_code = "94105""# }).premises.map(\.premiseID)
        XCTAssertEqual(byZip, [electricPremise.premiseID])
        let anaAccounts = try await operations.listCustomerAccounts(.with { $0.customerID = ana.customerID })
        XCTAssertEqual(anaAccounts.accounts.count, 1)
        let atElectric = try await operations.listCustomerAccounts(.with { $0.premiseIDs = [electricPremise.premiseID] })
        XCTAssertEqual(atElectric.accounts, [])
    }

    func testCountCustomersServedCountsActiveAccountsAtElectricPremises() async throws {
        let customer = try await createCustomer()
        let electric = try await createPremise(Fixtures.premise(commodities: [.electric, .gas]))
        let gasOnly = try await createPremise(Fixtures.premise(commodities: [.gas]))
        let regulated = try await openAccount(customer, electric, .regulated)
        _ = try await openAccount(customer, electric, .nonRegulated)
        _ = try await openAccount(customer, gasOnly, .regulated)
        let pending = try await operations.createCustomerAccount(.with {
            $0.account = .with {
                $0.customerID = customer.customerID
                $0.premiseID = electric.premiseID
                $0.regulatoryScope = .regulated
                $0.status = .pending
            }
        })
        XCTAssertEqual(pending.account?.status, .pending)

        let now = try await operations.countCustomersServed(CountCustomersServedRequest())
        XCTAssertEqual(now.commodity, .electric)
        XCTAssertEqual([now.customersServed, now.regulatedCount, now.nonRegulatedCount], [2, 1, 1])
        let gas = try await operations.countCustomersServed(.with { $0.commodity = .gas })
        XCTAssertEqual(gas.customersServed, 3)

        let beforeClose = Timestamp(date: Date())
        try await Task.sleep(for: .milliseconds(5))
        _ = try await operations.closeCustomerAccount(.with { $0.accountID = regulated.accountID })
        let afterClose = try await operations.countCustomersServed(CountCustomersServedRequest())
        XCTAssertEqual([afterClose.customersServed, afterClose.regulatedCount], [1, 0])
        let asOfBefore = try await operations.countCustomersServed(.with { $0.asOfTime = beforeClose })
        XCTAssertEqual(asOfBefore.regulatedCount, 1, "the closed account was still served before it closed")
        let beforeAnything = try await operations.countCustomersServed(.with { $0.asOfTime = Timestamp(seconds: 1) })
        XCTAssertEqual(beforeAnything.customersServed, 0)
    }

    func testCampaignAudienceAndSegmentRules() async throws {
        let premise = try await createPremise(Fixtures.premise(postalCode: "94110", area: "CA"))
        let regulatedOnly = try await createCustomer(Fixtures.customer("Regulated Only"))
        let consented = try await createCustomer(Fixtures.customer("Consented"))
        let nonRegulated = try await createCustomer(Fixtures.customer("EV Owner"))
        let elsewhere = try await createCustomer(Fixtures.customer("Elsewhere"))
        _ = try await openAccount(regulatedOnly, premise, .regulated)
        _ = try await openAccount(consented, premise, .regulated)
        _ = try await openAccount(nonRegulated, premise, .nonRegulated)
        _ = try await openAccount(elsewhere, try await createPremise(Fixtures.premise(postalCode: "10001", area: "NY")), .nonRegulated)
        let consent = try await operations.grantConsent(.with {
            $0.consent = .with {
                $0.customerID = consented.customerID
                $0.recipientBusinessUnit = .nonRegulated
                $0.scopes = [.contactDetails]
                $0.source = .online
            }
        }).consent!

        let segment = try await operations.createMarketSegment(.with {
            $0.segment = .with {
                $0.displayName = "Bay Area homes"
                $0.criteria = .with { $0.administrativeAreas = ["CA"]; $0.postalCodePrefixes = ["941"]; $0.customerKinds = [.residential] }
            }
        }).segment!
        XCTAssertEqual(segment.estimatedSize, 3)
        let charger = try await createProduct(.nonRegulated)
        let regulatedProduct = try await createProduct(.regulated)
        await assertStatus(.failedPrecondition, "NON_REGULATED") {
            try await operations.createMarketingCampaign(.with {
                $0.campaign = .with { $0.displayName = "Bad"; $0.segmentID = segment.segmentID; $0.productIDs = [regulatedProduct.productID] }
            })
        }
        let campaign = try await operations.createMarketingCampaign(.with {
            $0.campaign = .with { $0.displayName = "Chargers"; $0.segmentID = segment.segmentID; $0.productIDs = [charger.productID] }
        }).campaign!
        XCTAssertEqual(campaign.status, .draft)

        let first = try await operations.listCampaignAudience(.with { $0.campaignID = campaign.campaignID; $0.pageSize = 1 })
        let second = try await operations.listCampaignAudience(.with {
            $0.campaignID = campaign.campaignID; $0.pageSize = 1; $0.pageToken = first.nextPageToken
        })
        XCTAssertEqual(second.nextPageToken, "")
        let members = first.members + second.members
        XCTAssertEqual(Set(members.map(\.customerID)), [consented.customerID, nonRegulated.customerID])
        XCTAssertEqual(members.first { $0.customerID == consented.customerID }?.consentID, consent.consentID)
        XCTAssertEqual(members.first { $0.customerID == nonRegulated.customerID }?.basis, .nonRegulatedCustomer)
        XCTAssertEqual(first.excludedCount, 1, "the regulated-only customer without consent")

        _ = try await operations.revokeConsent(.with { $0.consentID = consent.consentID })
        let afterRevoke = try await operations.listCampaignAudience(.with { $0.campaignID = campaign.campaignID })
        XCTAssertEqual(afterRevoke.members.map(\.customerID), [nonRegulated.customerID])
        XCTAssertEqual(afterRevoke.excludedCount, 2)

        // Opportunities with an existing customer need the same basis.
        await assertStatus(.failedPrecondition, regulatedOnly.customerID) {
            try await operations.createSalesOpportunity(.with {
                $0.opportunity = .with { $0.party = .customerID(regulatedOnly.customerID); $0.productID = charger.productID }
            })
        }
        let opportunity = try await operations.createSalesOpportunity(.with {
            $0.opportunity = .with {
                $0.party = .customerID(nonRegulated.customerID)
                $0.productID = charger.productID
                $0.campaignID = campaign.campaignID
            }
        }).opportunity!
        XCTAssertEqual(opportunity.stage, .prospecting)

        await assertStatus(.failedPrecondition, campaign.campaignID) {
            try await operations.deleteMarketSegment(.with { $0.segmentID = segment.segmentID })
        }
        _ = try await operations.deleteMarketingCampaign(.with { $0.campaignID = campaign.campaignID })
        _ = try await operations.deleteMarketSegment(.with { $0.segmentID = segment.segmentID })
        await assertStatus(.notFound, segment.segmentID) { try await operations.getMarketSegment(.with { $0.segmentID = segment.segmentID }) }
    }

    func testConsentListsHideInactiveUnlessAsked() async throws {
        let customer = try await createCustomer()
        func grant() async throws -> Consent {
            try await operations.grantConsent(.with {
                $0.consent = .with { $0.customerID = customer.customerID; $0.recipientBusinessUnit = .regulated; $0.scopes = [.usageData] }
            }).consent!
        }
        let kept = try await grant()
        let revoked = try await grant()
        _ = try await operations.revokeConsent(.with { $0.consentID = revoked.consentID; $0.reason = "asked" })
        let active = try await operations.listConsents(.with { $0.customerID = customer.customerID })
        XCTAssertEqual(active.consents.map(\.consentID), [kept.consentID])
        let all = try await operations.listConsents(.with { $0.customerID = customer.customerID; $0.includeInactive = true })
        XCTAssertEqual(all.consents.map(\.consentID), [revoked.consentID, kept.consentID], "newest first")
        XCTAssertEqual(all.consents.first?.state, .revoked)
    }
}
