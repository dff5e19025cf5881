import MeshAuth
import XCTest

/// The policy as a pure function: caller business unit × data side × consent state.
final class SeparationPolicyTests: XCTestCase {
    private let regulated = Caller(subject: "billing", businessUnit: .regulated, scopes: [])
    private let nonRegulated = Caller(subject: "ev-shop", businessUnit: .nonRegulated, scopes: [])
    private let corporate = Caller(subject: "reporting", businessUnit: .corporate, scopes: [])

    func testTheMatrix() {
        let toNonRegulated = ConsentGrant(consentID: "CNS-1", recipient: .nonRegulated, covers: [.accountAndBilling])
        let toRegulated = ConsentGrant(consentID: "CNS-2", recipient: .regulated, covers: [.contactDetails])
        let decide = SeparationPolicy.decide

        // Own side: allowed, not audited, consent or not.
        XCTAssertEqual(decide(regulated, .regulated, .accountAndBilling, []), .allowed)
        XCTAssertEqual(decide(nonRegulated, .nonRegulated, .usageData, [toRegulated]), .allowed)
        // Neither side's data: allowed.
        XCTAssertEqual(decide(nonRegulated, nil, .contactDetails, []), .allowed)

        // Other side without (a covering, matching) consent: denied under the data's rule.
        XCTAssertEqual(decide(nonRegulated, .regulated, .accountAndBilling, []), .denied(rule: "affiliate.regulated-data"))
        XCTAssertEqual(decide(nonRegulated, .regulated, .usageData, [toNonRegulated]), .denied(rule: "affiliate.regulated-data"), "scope not covered")
        XCTAssertEqual(decide(nonRegulated, .regulated, .contactDetails, [toRegulated]), .denied(rule: "affiliate.regulated-data"), "consent for the other unit")
        XCTAssertEqual(decide(regulated, .nonRegulated, .accountAndBilling, []), .denied(rule: "affiliate.non-regulated-data"))

        // Other side with a covering consent to the caller's unit: allowed by consent, audited.
        XCTAssertEqual(
            decide(nonRegulated, .regulated, .accountAndBilling, [toRegulated, toNonRegulated]),
            .allowedByConsent(consentID: "CNS-1", rule: "affiliate.regulated-data"))
        XCTAssertEqual(
            decide(regulated, .nonRegulated, .contactDetails, [toRegulated]),
            .allowedByConsent(consentID: "CNS-2", rule: "affiliate.non-regulated-data"))

        // Corporate: both sides, audited.
        XCTAssertEqual(decide(corporate, .regulated, .usageData, []), .allowedByCorporateRole(rule: "affiliate.regulated-data"))
        XCTAssertEqual(decide(corporate, .nonRegulated, .contactDetails, []), .allowedByCorporateRole(rule: "affiliate.non-regulated-data"))
        XCTAssertEqual(decide(corporate, nil, .contactDetails, []), .allowed)

        XCTAssertFalse(SeparationDecision.allowed.isAudited)
        XCTAssertTrue(SeparationDecision.denied(rule: "r").isAudited)
        XCTAssertTrue(SeparationDecision.allowedByCorporateRole(rule: "r").isAudited)
    }

    func testWhoseContactDetailsTheyAre() {
        let side = SeparationPolicy.contactSide
        XCTAssertNil(side([.regulated], regulated))
        XCTAssertNil(side([.regulated, .nonRegulated], nonRegulated), "the caller's business has its own relationship")
        XCTAssertEqual(side([.regulated], nonRegulated), .regulated)
        XCTAssertEqual(side([.nonRegulated], regulated), .nonRegulated)
        XCTAssertNil(side([], nonRegulated), "a customer of neither business")
        XCTAssertEqual(side([.nonRegulated, .regulated], corporate), .regulated)
        XCTAssertEqual(side([.nonRegulated], corporate), .nonRegulated)
    }

    func testTheDenialMessageNamesTheRuleNotTheData() {
        let message = SeparationPolicy.deniedMessage(rule: "affiliate.regulated-data", caller: nonRegulated, data: .accountAndBilling)
        XCTAssertEqual(
            message,
            "separation rule affiliate.regulated-data: a non_regulated caller may not read this account and billing data without the customer's active consent")
    }
}
