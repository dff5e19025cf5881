import CustomerAPI
import Foundation
import MeshAuth
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceTestSupport
import XCTest

/// customer-service behind the auth interceptor on a loopback port: who sees which customers'
/// contact details, accounts and agreements, with and without consent, and the audit trail
/// each read leaves.
final class CustomerSeparationOverSocketsTests: XCTestCase {
    private var service: AuthenticatedCustomerServer!
    private var client: CustomerServiceClient { service.client }

    /// A regulated-only customer, a non-regulated-only customer, and a customer of neither.
    private struct Seed {
        var regulatedCustomer = "", regulatedAccount = "", regulatedAgreement = ""
        var nonRegulatedCustomer = "", nonRegulatedAccount = "", nonRegulatedAgreement = ""
        var prospect = ""
    }

    private var seed = Seed()
    private let allScopes = ["customer.read", "customer.write"]

    override func setUp() async throws {
        service = try await AuthenticatedCustomerServer.start()
        let admin = try options(.corporate, subject: "seeder")
        let premise = try await client.createPremise(.with {
            $0.premise = .with {
                $0.displayName = "12 Oak St"
                $0.address = .with { $0.regionCode = "US"; $0.postalCode = "94105"; $0.administrativeArea = "CA"; $0.locality = "SF"; $0.addressLines = ["12 Oak St"] }
                $0.serviceTypes = [.electric]
            }
        }, options: admin).premise!.premiseID
        func customer(_ name: String) async throws -> String {
            try await client.createCustomer(.with {
                $0.customer = .with {
                    $0.displayName = name
                    $0.kind = .residential
                    $0.contact = .with { $0.emails = [.with { $0.address = "\(name.lowercased())@example.com" }] }
                }
            }, options: admin).customer!.customerID
        }
        func account(_ customerID: String, _ scope: RegulatoryScope) async throws -> String {
            try await client.createCustomerAccount(.with {
                $0.account = .with { $0.customerID = customerID; $0.premiseID = premise; $0.regulatoryScope = scope; $0.currencyCode = "USD" }
            }, options: admin).account!.accountID
        }
        func agreement(_ accountID: String, _ scope: RegulatoryScope) async throws -> String {
            let product = try await client.createProduct(.with {
                $0.product = .with { $0.displayName = "P"; $0.regulatoryScope = scope; $0.category = scope == .regulated ? .utilityService : .evCharger }
            }, options: admin).product!.productID
            return try await client.createServiceAgreement(.with {
                $0.agreement = .with { $0.accountID = accountID; $0.productID = product; $0.startDate = .with { $0.year = 2025; $0.month = 1; $0.day = 1 } }
            }, options: admin).agreement!.agreementID
        }
        seed.regulatedCustomer = try await customer("Rita")
        seed.regulatedAccount = try await account(seed.regulatedCustomer, .regulated)
        seed.regulatedAgreement = try await agreement(seed.regulatedAccount, .regulated)
        seed.nonRegulatedCustomer = try await customer("Nico")
        seed.nonRegulatedAccount = try await account(seed.nonRegulatedCustomer, .nonRegulated)
        seed.nonRegulatedAgreement = try await agreement(seed.nonRegulatedAccount, .nonRegulated)
        seed.prospect = try await customer("Pia")
        let trail = try await auditTrail()
        XCTAssertEqual(trail, [], "writes are not audited")
    }

    override func tearDown() async throws {
        await service.stop()
    }

    private func options(_ unit: BusinessUnitClaim, subject: String? = nil, requestID: String? = nil) throws -> CallOptions {
        bearer(try service.tokens.token(unit, scopes: allScopes, subject: subject ?? unit.rawValue + "-app"), requestID: requestID)
    }

    /// The audit trail, oldest first, as (subject, decision, kind, resource, customer, rule, consent, filtered, request id).
    private func auditTrail() async throws -> [String] {
        try await client.listAuditRecords(.with { $0.pageSize = 1000 }, options: try options(.corporate, subject: "auditor"))
            .auditRecords.map { record in
                [record.subject, "\(record.decision)", record.resourceKind, record.resourceID, record.customerID, record.rule,
                 record.consentID, "\(record.filteredCount)", record.requestID].joined(separator: "|")
            }
    }

    private func row(_ subject: String, _ decision: AuditDecision, _ kind: String, _ resource: String, _ customer: String,
                     _ rule: String, consent: String = "", filtered: Int = 0, request: String = "") -> String {
        [subject, "\(decision)", kind, resource, customer, rule, consent, "\(filtered)", request].joined(separator: "|")
    }

    private func contact(_ customerID: String, as unit: BusinessUnitClaim) async throws -> Customer {
        try await client.getCustomer(.with { $0.customerID = customerID }, options: try options(unit)).customer!
    }

    func testCallersSeeTheirOwnBusinessAndNotTheOthers() async throws {
        for (unit, own, other) in [
            (BusinessUnitClaim.regulated, (seed.regulatedCustomer, seed.regulatedAccount, seed.regulatedAgreement),
             (seed.nonRegulatedCustomer, seed.nonRegulatedAccount, seed.nonRegulatedAgreement)),
            (.nonRegulated, (seed.nonRegulatedCustomer, seed.nonRegulatedAccount, seed.nonRegulatedAgreement),
             (seed.regulatedCustomer, seed.regulatedAccount, seed.regulatedAgreement)),
        ] {
            let mine = try await contact(own.0, as: unit)
            XCTAssertFalse(mine.contactWithheld)
            XCTAssertEqual(mine.contact?.emails.count, 1)
            let theirs = try await contact(other.0, as: unit)
            XCTAssertTrue(theirs.contactWithheld, "\(unit)")
            XCTAssertNil(theirs.contact)
            XCTAssertEqual(theirs.displayName.isEmpty, false, "the customer itself is visible")
            let prospect = try await contact(seed.prospect, as: unit)
            XCTAssertFalse(prospect.contactWithheld, "a customer of neither business")

            _ = try await client.getCustomerAccount(.with { $0.accountID = own.1 }, options: try options(unit))
            _ = try await client.getServiceAgreement(.with { $0.agreementID = own.2 }, options: try options(unit))
            let otherRule = unit == .regulated ? "affiliate.non-regulated-data" : "affiliate.regulated-data"
            // The whole message: the rule and the kind of data, never the record.
            let denial = SeparationPolicy.deniedMessage(rule: otherRule, caller: Caller(subject: "", businessUnit: unit, scopes: []), data: .accountAndBilling)
            await XCTAssertStatus(.permissionDenied, denial) {
                _ = try await self.client.getCustomerAccount(.with { $0.accountID = other.1 }, options: try self.options(unit))
            }
            await XCTAssertStatus(.permissionDenied, otherRule) {
                _ = try await self.client.getServiceAgreement(.with { $0.agreementID = other.2 }, options: try self.options(unit))
            }

            let accountPage = try await client.listCustomerAccounts(.with { $0.pageSize = 100 }, options: try options(unit))
            XCTAssertEqual(accountPage.accounts.map(\.accountID), [own.1], "lists filter rather than fail")
            // …and say how many they left out and why (the gateway marks its section with it).
            XCTAssertEqual(accountPage.withheldCount, 1)
            XCTAssertEqual(accountPage.withheldRule, otherRule)
            let agreementPage = try await client.listServiceAgreements(.with { $0.customerID = other.0 }, options: try options(unit))
            XCTAssertEqual(agreementPage.agreements, [])
            XCTAssertEqual(agreementPage.withheldCount, 1)
            XCTAssertEqual(agreementPage.withheldRule, otherRule)
            let customers = try await client.listCustomers(.with { $0.pageSize = 100 }, options: try options(unit)).customers
            XCTAssertEqual(customers.filter(\.contactWithheld).map(\.customerID), [other.0])
        }

        let r = "regulated-app", n = "non_regulated-app", reg = "affiliate.regulated-data", non = "affiliate.non-regulated-data"
        let expected = [
            row(r, .denied, "Customer.contact", seed.nonRegulatedCustomer, seed.nonRegulatedCustomer, non),
            row(r, .denied, "CustomerAccount", seed.nonRegulatedAccount, seed.nonRegulatedCustomer, non),
            row(r, .denied, "ServiceAgreement", seed.nonRegulatedAgreement, seed.nonRegulatedCustomer, non),
            row(r, .filtered, "CustomerAccount", "", "", non, filtered: 1),
            row(r, .filtered, "ServiceAgreement", "", "", non, filtered: 1),
            row(r, .filtered, "Customer.contact", "", "", non, filtered: 1),
            row(n, .denied, "Customer.contact", seed.regulatedCustomer, seed.regulatedCustomer, reg),
            row(n, .denied, "CustomerAccount", seed.regulatedAccount, seed.regulatedCustomer, reg),
            row(n, .denied, "ServiceAgreement", seed.regulatedAgreement, seed.regulatedCustomer, reg),
            row(n, .filtered, "CustomerAccount", "", "", reg, filtered: 1),
            row(n, .filtered, "ServiceAgreement", "", "", reg, filtered: 1),
            row(n, .filtered, "Customer.contact", "", "", reg, filtered: 1),
        ]
        let trail = try await auditTrail()
        XCTAssertEqual(trail, expected)
    }

    func testConsentIsTheOnlyBridgeAndRevokingItTakesEffectOnTheNextCall() async throws {
        let caller = try options(.nonRegulated, requestID: "req-42")
        let account = GetCustomerAccountRequest.with { $0.accountID = seed.regulatedAccount }
        await XCTAssertStatus(.permissionDenied, "affiliate.regulated-data") { _ = try await self.client.getCustomerAccount(account, options: caller) }

        // A consent to the *regulated* unit, or one for other data, does not help.
        let admin = try options(.corporate, subject: "seeder")
        _ = try await client.grantConsent(.with {
            $0.consent = .with { $0.customerID = seed.regulatedCustomer; $0.recipientBusinessUnit = .regulated; $0.scopes = [.accountAndBilling] }
        }, options: admin)
        _ = try await client.grantConsent(.with {
            $0.consent = .with { $0.customerID = seed.regulatedCustomer; $0.recipientBusinessUnit = .nonRegulated; $0.scopes = [.usageData] }
        }, options: admin)
        await XCTAssertStatus(.permissionDenied, "affiliate.regulated-data") { _ = try await self.client.getCustomerAccount(account, options: caller) }

        let consent = try await client.grantConsent(.with {
            $0.consent = .with { $0.customerID = seed.regulatedCustomer; $0.recipientBusinessUnit = .nonRegulated; $0.scopes = [.accountAndBilling] }
        }, options: admin).consent!.consentID
        let bridged = try await client.getCustomerAccount(account, options: caller).account
        XCTAssertEqual(bridged?.accountID, seed.regulatedAccount)
        let listed = try await client.listCustomerAccounts(.with { $0.customerID = seed.regulatedCustomer }, options: caller).accounts
        XCTAssertEqual(listed.map(\.accountID), [seed.regulatedAccount])
        let withheld = try await contact(seed.regulatedCustomer, as: .nonRegulated)
        XCTAssertTrue(withheld.contactWithheld, "the consent does not cover contact details")

        _ = try await client.revokeConsent(.with { $0.consentID = consent; $0.reason = "changed my mind" }, options: admin)
        await XCTAssertStatus(.permissionDenied, "affiliate.regulated-data") { _ = try await self.client.getCustomerAccount(account, options: caller) }

        let n = "non_regulated-app", reg = "affiliate.regulated-data", acc = seed.regulatedAccount, cus = seed.regulatedCustomer
        let trail = try await auditTrail()
        XCTAssertEqual(trail, [
            row(n, .denied, "CustomerAccount", acc, cus, reg, request: "req-42"),
            row(n, .denied, "CustomerAccount", acc, cus, reg, request: "req-42"),
            row(n, .allowedByConsent, "CustomerAccount", acc, cus, reg, consent: consent, request: "req-42"),
            row(n, .allowedByConsent, "CustomerAccount", acc, cus, reg, consent: consent, request: "req-42"),
            row(n, .denied, "Customer.contact", cus, cus, reg),
            row(n, .denied, "CustomerAccount", acc, cus, reg, request: "req-42"),
        ])
    }

    func testCorporateReadsBothSidesAndEveryReadIsAudited() async throws {
        let corporate = try options(.corporate, subject: "regulatory-report")
        for customer in [seed.regulatedCustomer, seed.nonRegulatedCustomer] {
            let read = try await client.getCustomer(.with { $0.customerID = customer }, options: corporate).customer
            XCTAssertEqual(read?.contactWithheld, false)
        }
        _ = try await client.getCustomer(.with { $0.customerID = seed.prospect }, options: corporate)
        _ = try await client.getCustomerAccount(.with { $0.accountID = seed.nonRegulatedAccount }, options: corporate)
        let agreements = try await client.listServiceAgreements(.with { $0.customerID = seed.regulatedCustomer }, options: corporate).agreements
        XCTAssertEqual(agreements.map(\.agreementID), [seed.regulatedAgreement])

        let c = "regulatory-report", reg = "affiliate.regulated-data", non = "affiliate.non-regulated-data"
        let trail = try await auditTrail()
        XCTAssertEqual(trail, [
            row(c, .allowedByCorporateRole, "Customer.contact", seed.regulatedCustomer, seed.regulatedCustomer, reg),
            row(c, .allowedByCorporateRole, "Customer.contact", seed.nonRegulatedCustomer, seed.nonRegulatedCustomer, non),
            row(c, .allowedByCorporateRole, "CustomerAccount", seed.nonRegulatedAccount, seed.nonRegulatedCustomer, non),
            row(c, .allowedByCorporateRole, "ServiceAgreement", seed.regulatedAgreement, seed.regulatedCustomer, reg),
        ])
    }

    func testAnEmailFilterDoesNotRevealWhoseAddressItIs() async throws {
        let filter = ListCustomersRequest.with { $0.filter = #"email = "rita@example.com""# }
        let own = try await client.listCustomers(filter, options: try options(.regulated)).customers
        XCTAssertEqual(own.map(\.customerID), [seed.regulatedCustomer])
        let other = try await client.listCustomers(filter, options: try options(.nonRegulated)).customers
        XCTAssertEqual(other, [], "the match itself would tell the non-regulated business whose address it is")
        let trail = try await auditTrail()
        XCTAssertEqual(trail, [row("non_regulated-app", .filtered, "Customer.contact", "", "", "affiliate.regulated-data", filtered: 1)])
    }

    func testInteractionsBelongToTheBusinessThatHandledThem() async throws {
        let admin = try options(.corporate, subject: "seeder")
        func record(_ unit: BusinessUnit, topic: String) async throws -> String {
            try await client.createInteraction(.with {
                $0.interaction = .with {
                    $0.customerID = seed.regulatedCustomer
                    $0.channel = .call
                    $0.interactionTime = Timestamp(seconds: 1_750_000_000)
                    $0.topic = topic
                    $0.businessUnit = unit
                }
            }, options: admin).interaction!.interactionID
        }
        let billing = try await record(.regulated, topic: "billing question")
        let charger = try await record(.nonRegulated, topic: "EV charger offer")

        let seen = try await client.listInteractions(.with { $0.customerID = seed.regulatedCustomer }, options: try options(.nonRegulated)).interactions
        XCTAssertEqual(seen.map(\.interactionID), [charger])
        await XCTAssertStatus(.permissionDenied, "affiliate.regulated-data", "interaction history") {
            _ = try await self.client.getInteraction(.with { $0.interactionID = billing }, options: try self.options(.nonRegulated))
        }
        let consent = try await client.grantConsent(.with {
            $0.consent = .with { $0.customerID = seed.regulatedCustomer; $0.recipientBusinessUnit = .nonRegulated; $0.scopes = [.interactions] }
        }, options: admin).consent!.consentID
        let bridged = try await client.getInteraction(.with { $0.interactionID = billing }, options: try options(.nonRegulated)).interaction
        XCTAssertEqual(bridged?.topic, "billing question")

        let n = "non_regulated-app", reg = "affiliate.regulated-data", cus = seed.regulatedCustomer
        let trail = try await auditTrail()
        XCTAssertEqual(trail, [
            row(n, .filtered, "Interaction", "", "", reg, filtered: 1),
            row(n, .denied, "Interaction", billing, cus, reg),
            row(n, .allowedByConsent, "Interaction", billing, cus, reg, consent: consent),
        ])
    }

    func testTheAuditTrailIsForCorporateCallersOnly() async throws {
        for unit in [BusinessUnitClaim.regulated, .nonRegulated] {
            await XCTAssertStatus(.permissionDenied, "audit.corporate-only") {
                _ = try await self.client.listAuditRecords(.with { $0.pageSize = 10 }, options: try self.options(unit))
            }
        }
        let records = try await client.listAuditRecords(.with { $0.filter = "decision = DENIED" }, options: try options(.corporate)).auditRecords
        XCTAssertEqual(records, [])
    }

    func testAConsentIsCapturedByTheDataOwnerNotByItsRecipient() async throws {
        func grant(_ recipient: BusinessUnit, by unit: BusinessUnitClaim) async throws -> GrantConsentResponse {
            try await client.grantConsent(.with {
                $0.consent = .with { $0.customerID = seed.regulatedCustomer; $0.recipientBusinessUnit = recipient; $0.scopes = [.accountAndBilling] }
            }, options: try options(unit))
        }
        // The non-regulated business may not open the regulated side's data to itself…
        await XCTAssertStatus(.permissionDenied, "affiliate.consent-capture") { _ = try await grant(.nonRegulated, by: .nonRegulated) }
        await XCTAssertStatus(.permissionDenied, "affiliate.consent-capture") { _ = try await grant(.regulated, by: .regulated) }
        await XCTAssertStatus(.permissionDenied, "affiliate.regulated-data") {
            _ = try await self.client.getCustomerAccount(.with { $0.accountID = self.seed.regulatedAccount }, options: try self.options(.nonRegulated))
        }
        // …the data's own business and corporate may.
        _ = try await grant(.nonRegulated, by: .regulated)
        _ = try await grant(.nonRegulated, by: .corporate)
        let denials = try await client.listAuditRecords(.with { $0.filter = "decision = DENIED" }, options: try options(.corporate))
            .auditRecords.filter { $0.rule == "affiliate.consent-capture" }
        XCTAssertEqual(denials.count, 2, "each refused capture is audited")
    }
}
