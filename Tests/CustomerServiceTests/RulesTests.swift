import CustomerAPI
import CustomerDomain
import ProtoRuntime
import QuantumTypes
import XCTest

final class RulesTests: XCTestCase {
    private let now = Timestamp(seconds: 1_750_000_000)

    /// A customer as the store holds it (defaults applied).
    private func stored(_ customer: Customer) throws -> Customer {
        try CustomerRules.forCreate(customer, id: "CUS-01JDQ8Y5ZK3M7R2VXN4T6B9C0A", now: Timestamp(seconds: 1))
    }

    // MARK: Field masks

    func testUpdatesWithoutAMaskAreRejected() {
        let customer = Fixtures.customer()
        assertRule(.invalidArgument, "update_mask is required") {
            _ = try CustomerRules.updateMask.apply(nil, from: customer, to: customer)
        }
        assertRule(.invalidArgument, "update_mask is required") {
            _ = try CustomerRules.updateMask.apply(FieldMask(paths: []), from: customer, to: customer)
        }
    }

    func testMaskRejectsUnknownOutputOnlyAndImmutablePaths() {
        let customer = Fixtures.customer()
        assertRule(.invalidArgument, "'shoe_size'") { _ = try CustomerRules.updateMask.apply(FieldMask(paths: ["shoe_size"]), from: customer, to: customer) }
        assertRule(.invalidArgument, "output only") {
            _ = try CustomerRules.updateMask.apply(FieldMask(paths: ["create_time"]), from: customer, to: customer)
        }
        let account = CustomerAccount()
        assertRule(.invalidArgument, "CloseCustomerAccount") {
            _ = try AccountRules.updateMask.apply(FieldMask(paths: ["status"]), from: account, to: account)
        }
        let product = Product()
        assertRule(.invalidArgument, "immutable") {
            _ = try ProductRules.updateMask.apply(FieldMask(paths: ["regulatory_scope"]), from: product, to: product)
        }
        let opportunity = SalesOpportunity()
        assertRule(.invalidArgument, "TransitionOpportunityStage") {
            _ = try OpportunityRules.updateMask.apply(FieldMask(paths: ["stage"]), from: opportunity, to: opportunity)
        }
    }

    func testMaskCopiesOnlyTheNamedFieldsIncludingNestedOnes() throws {
        var current = try stored(Fixtures.customer())
        current.givenName = "Ana"
        current.communicationPreferences = .with { $0.languageCode = "en"; $0.paperlessBilling = true }
        var patch = Customer()
        patch.displayName = "Ana M. Silva"
        patch.givenName = "not copied"
        patch.communicationPreferences = .with { $0.languageCode = "es"; $0.paperlessBilling = false }
        let updated = try CustomerRules.updated(
            current, patch: patch, mask: FieldMask(paths: ["display_name", "communication_preferences.language_code"]), now: now)
        XCTAssertEqual(updated.displayName, "Ana M. Silva")
        XCTAssertEqual(updated.givenName, "Ana")
        XCTAssertEqual(updated.communicationPreferences?.languageCode, "es")
        XCTAssertEqual(updated.communicationPreferences?.paperlessBilling, true, "sibling fields stay")
        XCTAssertEqual(updated.contact, current.contact)
        XCTAssertEqual(updated.updateTime, now)
    }

    func testUpdatedValuesAreValidatedAndVerifiedEmailsSurviveOnlyUnchanged() throws {
        var current = try stored(Fixtures.customer())
        current.contact?.emails[0].verified = true
        var patch = Customer()
        patch.contact = .with { $0.emails = [.with { $0.address = "bad" }] }
        assertRule(.invalidArgument, "emails[0].address") {
            _ = try CustomerRules.updated(current, patch: patch, mask: FieldMask(paths: ["contact.emails"]), now: now)
        }
        patch.contact = .with { $0.emails = [.with { $0.address = "ANA@example.com" }, .with { $0.address = "new@example.com" }] }
        let updated = try CustomerRules.updated(current, patch: patch, mask: FieldMask(paths: ["contact.emails"]), now: now)
        XCTAssertEqual(updated.contact?.emails.map(\.verified), [true, false])
        XCTAssertEqual(updated.contact?.phones, current.contact?.phones, "contact.emails leaves phones alone")
    }

    // MARK: Filters

    func testFilterParsesTermsJoinedByAnd() throws {
        let terms = try FilterExpression.parse(#"display_name:"Silva \"Jr\"" AND status = ACTIVE AND email="a@b.co""#)
        XCTAssertEqual(terms, [
            FilterTerm(field: "display_name", op: .has, value: #"Silva "Jr""#),
            FilterTerm(field: "status", op: .equals, value: "ACTIVE"),
            FilterTerm(field: "email", op: .equals, value: "a@b.co"),
        ])
        XCTAssertEqual(try FilterExpression.parse("   "), [])
    }

    func testMalformedFiltersSayWhere() {
        assertRule(.invalidArgument, "expected AND") { _ = try FilterExpression.parse("status = ACTIVE OR kind = RESIDENTIAL") }
        assertRule(.invalidArgument, "not closed") { _ = try FilterExpression.parse(#"display_name:"Silva"#) }
        assertRule(.invalidArgument, "expected '=' or ':'") { _ = try FilterExpression.parse("status > 3") }
        assertRule(.invalidArgument, "expected a value") { _ = try FilterExpression.parse("status = ") }
        assertRule(.invalidArgument, "field name") { _ = try FilterExpression.parse("= ACTIVE") }
    }

    // MARK: Agreements and accounts

    func testAnAgreementNeedsAnOpenAccountAndAMatchingActiveProduct() throws {
        let account = CustomerAccount.with { $0.accountID = "ACC-1"; $0.regulatoryScope = .regulated; $0.status = .active }
        let regulated = Product.with { $0.productID = "PRD-R"; $0.regulatoryScope = .regulated; $0.status = .active }
        let nonRegulated = Product.with { $0.productID = "PRD-N"; $0.regulatoryScope = .nonRegulated; $0.status = .active }
        XCTAssertNoThrow(try AgreementRules.checkFit(account: account, product: regulated))
        assertRule(.failedPrecondition, "scopes must match") { try AgreementRules.checkFit(account: account, product: nonRegulated) }
        var closed = account
        closed.status = .closed
        assertRule(.failedPrecondition, "'ACC-1' is closed") { try AgreementRules.checkFit(account: closed, product: regulated) }
        var suspended = account
        suspended.status = .suspended
        assertRule(.failedPrecondition, "suspended") { try AgreementRules.checkFit(account: suspended, product: regulated) }
        var retired = regulated
        retired.status = .retired
        assertRule(.failedPrecondition, "retired") { try AgreementRules.checkFit(account: account, product: retired) }
    }

    func testAgreementStatusComesFromTheStartDateAndTerminationIsFinal() throws {
        let today = CalendarDate.with { $0.year = 2025; $0.month = 6; $0.day = 15 }
        let product = Product.with { $0.regulatoryScope = .regulated }
        var requested = ServiceAgreement.with {
            $0.accountID = "ACC-01JDQ8Y5ZK3M7R2VXN4T6B9C0A"
            $0.productID = "PRD-01JDQ8Y5ZK3M7R2VXN4T6B9C0A"
            $0.startDate = today
        }
        XCTAssertEqual(try AgreementRules.forCreate(requested, id: "AGR-1", product: product, now: now, today: today).status, .active)
        requested.startDate = .with { $0.year = 2025; $0.month = 7; $0.day = 1 }
        let pending = try AgreementRules.forCreate(requested, id: "AGR-1", product: product, now: now, today: today)
        XCTAssertEqual(pending.status, .pending)
        XCTAssertEqual(pending.regulatoryScope, .regulated)
        requested.endDate = .with { $0.year = 2025; $0.month = 2; $0.day = 30 }
        assertRule(.invalidArgument, "end_date") { _ = try AgreementRules.forCreate(requested, id: "AGR-1", product: product, now: now, today: today) }

        let terminated = try AgreementRules.terminated(pending, reason: "moved", endDate: nil, now: now, today: .with {
            $0.year = 2025; $0.month = 7; $0.day = 2
        })
        XCTAssertEqual(terminated.status, .terminated)
        XCTAssertEqual(terminated.terminationReason, "moved")
        assertRule(.failedPrecondition, "already") {
            _ = try AgreementRules.terminated(terminated, reason: "", endDate: nil, now: now, today: today)
        }
    }

    func testClosingAnAccountIsIdempotent() throws {
        let account = CustomerAccount.with { $0.accountID = "ACC-1"; $0.status = .active; $0.openTime = Timestamp(seconds: 10) }
        let closed = try AccountRules.closed(account, reason: "move-out", at: nil, now: now)
        XCTAssertEqual(closed.status, .closed)
        XCTAssertEqual(closed.closeTime, now)
        XCTAssertEqual(try AccountRules.closed(closed, reason: "again", at: nil, now: Timestamp(seconds: now.seconds + 5)), closed)
        assertRule(.invalidArgument, "before the account was opened") {
            _ = try AccountRules.closed(account, reason: "", at: Timestamp(seconds: 1), now: now)
        }
    }

    // MARK: Opportunities

    func testOpportunityStagesMoveFreelyUntilClosed() throws {
        let created = try OpportunityRules.forCreate(.with {
            $0.party = .prospect(.with { $0.displayName = "Kim" })
            $0.productID = "PRD-01JDQ8Y5ZK3M7R2VXN4T6B9C0A"
        }, id: "OPP-1", now: now)
        XCTAssertEqual(created.stage, .prospecting)
        XCTAssertNil(try OpportunityRules.transitioned(created, to: .prospecting, reason: "", now: now), "same stage is a no-op")
        let proposal = try XCTUnwrap(try OpportunityRules.transitioned(created, to: .proposal, reason: "quote sent", now: now))
        let back = try XCTUnwrap(try OpportunityRules.transitioned(proposal, to: .qualified, reason: "", now: now))
        XCTAssertEqual(back.stage, .qualified, "open stages may move backwards too")
        let lost = try XCTUnwrap(try OpportunityRules.transitioned(back, to: .closedLost, reason: "price", now: now))
        XCTAssertEqual(lost.closeTime, now)
        XCTAssertEqual(lost.stageHistory.map(\.toStage), [.prospecting, .proposal, .qualified, .closedLost])
        XCTAssertEqual(lost.stageHistory.last?.reason, "price")
        assertRule(.failedPrecondition, "closed stage") { _ = try OpportunityRules.transitioned(lost, to: .negotiation, reason: "", now: now) }
        assertRule(.invalidArgument, "to_stage") { _ = try OpportunityRules.transitioned(created, to: .unspecified, reason: "", now: now) }
        assertRule(.invalidArgument, "open stage") {
            _ = try OpportunityRules.forCreate(.with {
                $0.party = .prospect(.with { $0.displayName = "Kim" })
                $0.productID = "PRD-01JDQ8Y5ZK3M7R2VXN4T6B9C0A"
                $0.stage = .closedWon
            }, id: "OPP-1", now: now)
        }
        assertRule(.invalidArgument, "prospect.email") {
            _ = try OpportunityRules.forCreate(.with {
                $0.party = .prospect(.with { $0.displayName = "Kim"; $0.email = "kim at example" })
                $0.productID = "PRD-01JDQ8Y5ZK3M7R2VXN4T6B9C0A"
            }, id: "OPP-1", now: now)
        }
    }

    func testOpportunitiesAndCampaignsSellOnlyNonRegulatedProducts() {
        let regulated = Product.with { $0.productID = "PRD-R"; $0.regulatoryScope = .regulated }
        assertRule(.failedPrecondition, "NON_REGULATED") { try OpportunityRules.checkSellable(regulated) }
        assertRule(.failedPrecondition, "NON_REGULATED") { try CampaignRules.checkPromotable(regulated) }
        XCTAssertNoThrow(try CampaignRules.checkPromotable(.with { $0.regulatoryScope = .nonRegulated }))
    }

    // MARK: Campaign audience and consent

    func testCampaignsReachOnlyNonRegulatedCustomersOrConsentedOnes() {
        let contactConsent = Consent.with {
            $0.consentID = "CNS-1"
            $0.recipientBusinessUnit = .nonRegulated
            $0.scopes = [.contactDetails]
            $0.state = .active
        }
        XCTAssertEqual(
            AudienceEligibility.decide(relationshipScopes: [.regulated, .nonRegulated], consents: [], now: now)?.basis,
            .nonRegulatedCustomer)
        XCTAssertNil(AudienceEligibility.decide(relationshipScopes: [.regulated], consents: [], now: now), "regulated-only, no consent")
        XCTAssertNil(AudienceEligibility.decide(relationshipScopes: [], consents: [], now: now), "no relationship, no consent")
        XCTAssertEqual(
            AudienceEligibility.decide(relationshipScopes: [.regulated], consents: [contactConsent], now: now),
            AudienceEligibility.Decision(basis: .consent, consentID: "CNS-1"))

        var usageOnly = contactConsent
        usageOnly.scopes = [.usageData]
        XCTAssertNil(AudienceEligibility.decide(relationshipScopes: [.regulated], consents: [usageOnly], now: now), "wrong scope")
        var toRegulated = contactConsent
        toRegulated.recipientBusinessUnit = .regulated
        XCTAssertNil(AudienceEligibility.decide(relationshipScopes: [.regulated], consents: [toRegulated], now: now), "wrong recipient")
        var revoked = contactConsent
        revoked.state = .revoked
        XCTAssertNil(AudienceEligibility.decide(relationshipScopes: [.regulated], consents: [revoked], now: now), "revoked")
        var lapsed = contactConsent
        lapsed.expireTime = Timestamp(seconds: now.seconds - 1)
        XCTAssertNil(AudienceEligibility.decide(relationshipScopes: [.regulated], consents: [lapsed], now: now), "expired")
        XCTAssertEqual(ConsentRules.effective(lapsed, now: now).state, .expired)
    }

    func testRevokingIsIdempotent() throws {
        let active = Consent.with { $0.consentID = "CNS-1"; $0.state = .active }
        let revoked = try ConsentRules.revoked(active, reason: "asked", now: now)
        XCTAssertEqual(revoked.state, .revoked)
        XCTAssertEqual(revoked.revokeReason, "asked")
        XCTAssertEqual(try ConsentRules.revoked(revoked, reason: "again", now: Timestamp(seconds: now.seconds + 9)), revoked)
    }
}
