import CustomerAPI
import CustomerDomain
import ProtoRuntime
import QuantumTypes
import XCTest

final class ValidationTests: XCTestCase {
    private let now = Timestamp(seconds: 1_750_000_000)
    private let id = "CUS-01JDQ8Y5ZK3M7R2VXN4T6B9C0A"

    func testEmailAddresses() {
        for good in ["ana@example.com", "a.b+tag@sub.example.co", "x_y-z@ex-ample.org", "o'neil@example.ie"] {
            XCTAssertTrue(ContactFormats.isValidEmail(good), good)
        }
        for bad in ["", "ana", "ana@", "@example.com", "ana@example", "a..b@example.com", ".a@example.com",
                    "ana@-example.com", "ana@example.c0m", "ana @example.com", "ana@exam_ple.com", "a@b@example.com"] {
            XCTAssertFalse(ContactFormats.isValidEmail(bad), bad)
        }
        XCTAssertFalse(ContactFormats.isValidEmail(String(repeating: "a", count: 65) + "@example.com"), "local part > 64")
    }

    func testE164PhoneNumbers() {
        for good in ["+14155550100", "+442071838750", "+12"] { XCTAssertTrue(ContactFormats.isValidE164(good), good) }
        for bad in ["", "14155550100", "+04155550100", "+1 415 555 0100", "+1415555010012345", "+1-415", "+"] {
            XCTAssertFalse(ContactFormats.isValidE164(bad), bad)
        }
    }

    func testLanguageTagsAndCodes() {
        XCTAssertTrue(ContactFormats.isValidLanguageTag("en-US"))
        XCTAssertTrue(ContactFormats.isValidLanguageTag("zh-Hant-TW"))
        XCTAssertFalse(ContactFormats.isValidLanguageTag("english"))
        XCTAssertFalse(ContactFormats.isValidLanguageTag("en_US"))
        XCTAssertTrue(ContactFormats.isValidCurrencyCode("USD"))
        XCTAssertFalse(ContactFormats.isValidCurrencyCode("usd"))
        XCTAssertTrue(ContactFormats.isValidWebURI("https://sun.example.com/plans"))
        XCTAssertFalse(ContactFormats.isValidWebURI("ftp://sun.example.com"))
    }

    func testCustomerCreateNamesTheBadField() {
        assertRule(.invalidArgument, "display_name") { _ = try CustomerRules.forCreate(Fixtures.customer(""), id: id, now: now) }
        assertRule(.invalidArgument, "customer.kind") {
            _ = try CustomerRules.forCreate(Fixtures.customer(kind: .unspecified), id: id, now: now)
        }
        assertRule(.invalidArgument, "customer.contact.emails[0].address 'nope'") {
            _ = try CustomerRules.forCreate(Fixtures.customer(email: "nope"), id: id, now: now)
        }
        var badPhone = Fixtures.customer()
        badPhone.contact?.phones[0].e164Number = "415-555-0100"
        assertRule(.invalidArgument, "phones[0].e164_number") { _ = try CustomerRules.forCreate(badPhone, id: id, now: now) }
        var badLanguage = Fixtures.customer()
        badLanguage.communicationPreferences = .with { $0.languageCode = "English" }
        assertRule(.invalidArgument, "language_code") { _ = try CustomerRules.forCreate(badLanguage, id: id, now: now) }
        var unknownKind = Fixtures.customer()
        unknownKind.kind = .unrecognized(42)
        assertRule(.invalidArgument, "unknown value 42") { _ = try CustomerRules.forCreate(unknownKind, id: id, now: now) }
    }

    func testCustomerCreateDefaultsAndIgnoresOutputOnlyFields() throws {
        var requested = Fixtures.customer()
        requested.relationshipScopes = [.regulated]
        requested.contactWithheld = true
        requested.contact?.emails[0].verified = true
        let customer = try CustomerRules.forCreate(requested, id: id, now: now)
        XCTAssertEqual(customer.customerID, id)
        XCTAssertEqual(customer.status, .active)
        XCTAssertEqual(customer.relationshipScopes, [])
        XCTAssertFalse(customer.contactWithheld)
        XCTAssertFalse(customer.contact?.emails[0].verified ?? true)
        XCTAssertEqual(customer.createTime, now)
    }

    func testPremiseNeedsAddressAndACommodity() {
        let premiseID = "PRM-01JDQ8Y5ZK3M7R2VXN4T6B9C0A"
        var noAddress = Fixtures.premise()
        noAddress.address = nil
        assertRule(.invalidArgument, "premise.address is required") { _ = try PremiseRules.forCreate(noAddress, id: premiseID, now: now) }
        assertRule(.invalidArgument, "service_types") {
            _ = try PremiseRules.forCreate(Fixtures.premise(commodities: []), id: premiseID, now: now)
        }
        assertRule(.invalidArgument, "service_types[0]") {
            _ = try PremiseRules.forCreate(Fixtures.premise(commodities: [.unspecified]), id: premiseID, now: now)
        }
        var badZone = Fixtures.premise()
        badZone.timeZone = "Mars/Olympus"
        assertRule(.invalidArgument, "time_zone") { _ = try PremiseRules.forCreate(badZone, id: premiseID, now: now) }
        var badPoint = Fixtures.premise()
        badPoint.location = .with { $0.latitudeE7 = 950_000_000 }
        assertRule(.invalidArgument, "latitude_e7") { _ = try PremiseRules.forCreate(badPoint, id: premiseID, now: now) }
    }

    func testProductAndAccountRequiredFields() {
        let productID = "PRD-01JDQ8Y5ZK3M7R2VXN4T6B9C0A"
        assertRule(.invalidArgument, "regulatory_scope") {
            _ = try ProductRules.forCreate(Fixtures.product(.unspecified), id: productID, now: now)
        }
        var tariffless = Fixtures.product(.regulated)
        tariffless.pricingModel = .tariff
        assertRule(.invalidArgument, "tariff_id") { _ = try ProductRules.forCreate(tariffless, id: productID, now: now) }
        let account = CustomerAccount.with {
            $0.customerID = "CUS-01JDQ8Y5ZK3M7R2VXN4T6B9C0A"
            $0.premiseID = "PRM-01JDQ8Y5ZK3M7R2VXN4T6B9C0A"
        }
        assertRule(.invalidArgument, "account.regulatory_scope") {
            _ = try AccountRules.forCreate(account, id: "ACC-01JDQ8Y5ZK3M7R2VXN4T6B9C0A", now: now)
        }
        var closedOnCreate = account
        closedOnCreate.regulatoryScope = .regulated
        closedOnCreate.status = .closed
        assertRule(.invalidArgument, "ACTIVE or PENDING") {
            _ = try AccountRules.forCreate(closedOnCreate, id: "ACC-01JDQ8Y5ZK3M7R2VXN4T6B9C0A", now: now)
        }
        var badPremiseID = account
        badPremiseID.regulatoryScope = .regulated
        badPremiseID.premiseID = "ACC-01JDQ8Y5ZK3M7R2VXN4T6B9C0A"
        assertRule(.invalidArgument, "account.premise_id") {
            _ = try AccountRules.forCreate(badPremiseID, id: "ACC-01JDQ8Y5ZK3M7R2VXN4T6B9C0A", now: now)
        }
    }

    func testConsentNeedsRecipientAndScopes() {
        let base = Consent.with {
            $0.customerID = "CUS-01JDQ8Y5ZK3M7R2VXN4T6B9C0A"
            $0.recipientBusinessUnit = .nonRegulated
            $0.scopes = [.contactDetails]
        }
        XCTAssertNoThrow(try ConsentRules.forGrant(base, id: "CNS-01JDQ8Y5ZK3M7R2VXN4T6B9C0A", now: now))
        var corporate = base
        corporate.recipientBusinessUnit = .corporate
        assertRule(.invalidArgument, "recipient_business_unit") { _ = try ConsentRules.forGrant(corporate, id: "CNS-X", now: now) }
        var noScopes = base
        noScopes.scopes = []
        assertRule(.invalidArgument, "consent.scopes") { _ = try ConsentRules.forGrant(noScopes, id: "CNS-X", now: now) }
        var expired = base
        expired.expireTime = Timestamp(seconds: now.seconds - 1)
        assertRule(.invalidArgument, "expire_time") { _ = try ConsentRules.forGrant(expired, id: "CNS-X", now: now) }
    }
}
