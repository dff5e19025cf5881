import CustomerAPI
import ProtoRuntime
import QuantumTypes

/// What a customer must look like, and how it changes.
public enum CustomerRules {
    /// Checks a customer as it would be stored (after create defaults or an update's mask).
    public static func validate(_ customer: Customer) throws(DomainError) {
        try Check.required(customer.displayName, "customer.display_name")
        try Check.specified(customer.kind, "customer.kind")
        try Check.text(customer.givenName, "customer.given_name", max: Check.maxNameLength)
        try Check.text(customer.familyName, "customer.family_name", max: Check.maxNameLength)
        try Check.text(customer.organizationName, "customer.organization_name", max: Check.maxNameLength)
        try Check.known(customer.status, "customer.status")
        if let contact = customer.contact { try validate(contact) }
        if let demographics = customer.demographics { try validate(demographics) }
        if let preferences = customer.communicationPreferences { try validate(preferences) }
    }

    static func validate(_ contact: ContactInfo) throws(DomainError) {
        guard contact.emails.count <= 20, contact.phones.count <= 20 else {
            throw .invalid("customer.contact holds at most 20 e-mail addresses and 20 phone numbers")
        }
        for (index, email) in contact.emails.enumerated() {
            guard ContactFormats.isValidEmail(email.address) else {
                throw .invalid("customer.contact.emails[\(index)].address '\(email.address)' is not a valid e-mail address")
            }
            try Check.text(email.label, "customer.contact.emails[\(index)].label", max: 50)
        }
        guard contact.emails.filter(\.primary).count <= 1 else {
            throw .invalid("customer.contact.emails: at most one address may be primary")
        }
        for (index, phone) in contact.phones.enumerated() {
            guard ContactFormats.isValidE164(phone.e164Number) else {
                throw .invalid(
                    "customer.contact.phones[\(index)].e164_number '\(phone.e164Number)' is not an E.164 number such as +14155550100")
            }
            try Check.known(phone.kind, "customer.contact.phones[\(index)].kind")
        }
        guard contact.phones.filter(\.primary).count <= 1 else {
            throw .invalid("customer.contact.phones: at most one number may be primary")
        }
        try Check.address(contact.mailingAddress, "customer.contact.mailing_address", required: false)
    }

    static func validate(_ demographics: Demographics) throws(DomainError) {
        guard (0...100).contains(demographics.householdSize) else {
            throw .invalid("customer.demographics.household_size must be 0…100")
        }
        guard demographics.birthYear == 0 || (1900...2100).contains(demographics.birthYear) else {
            throw .invalid("customer.demographics.birth_year \(demographics.birthYear) is not a plausible year")
        }
        guard demographics.employeeCount >= 0 else { throw .invalid("customer.demographics.employee_count must not be negative") }
        let code = demographics.industryCode
        guard code.isEmpty || ((2...6).contains(code.count) && code.allSatisfy { $0.isASCII && $0.isNumber }) else {
            throw .invalid("customer.demographics.industry_code '\(code)' is not a NAICS code (2–6 digits)")
        }
        try Check.known(demographics.dwellingType, "customer.demographics.dwelling_type")
    }

    static func validate(_ preferences: CommunicationPreferences) throws(DomainError) {
        for (index, channel) in preferences.preferredChannels.enumerated() {
            try Check.specified(channel, "customer.communication_preferences.preferred_channels[\(index)]")
        }
        let language = preferences.languageCode
        guard language.isEmpty || ContactFormats.isValidLanguageTag(language) else {
            throw .invalid("customer.communication_preferences.language_code '\(language)' is not a BCP-47 tag such as en-US")
        }
    }

    /// The customer to store for a create: output-only fields cleared, defaults applied.
    public static func forCreate(_ requested: Customer, id: String, now: Timestamp) throws(DomainError) -> Customer {
        var customer = requested
        customer.customerID = id
        customer.relationshipScopes = []
        customer.contactWithheld = false
        customer.createTime = now
        customer.updateTime = now
        if customer.status == .unspecified { customer.status = .active }
        if var contact = customer.contact {
            for index in contact.emails.indices { contact.emails[index].verified = false }
            customer.contact = contact
        }
        try validate(customer)
        return customer
    }

    /// Applies an update; e-mail `verified` flags survive only for addresses that stay.
    public static func updated(_ current: Customer, patch: Customer, mask: FieldMask?, now: Timestamp) throws(DomainError) -> Customer {
        var customer = try updateMask.apply(mask, from: patch, to: current)
        if var contact = customer.contact {
            let verified = Set((current.contact?.emails ?? []).filter(\.verified).map { $0.address.lowercased() })
            for index in contact.emails.indices {
                contact.emails[index].verified = verified.contains(contact.emails[index].address.lowercased())
            }
            customer.contact = contact
        }
        guard customer.status != .unspecified else { throw .invalid("customer.status cannot be cleared") }
        customer.updateTime = now
        try validate(customer)
        return customer
    }

    public static let updateMask = FieldMaskPolicy<Customer>(
        resourceName: "Customer",
        updatable: [
            "kind": { $0.kind = $1.kind },
            "display_name": { $0.displayName = $1.displayName },
            "given_name": { $0.givenName = $1.givenName },
            "family_name": { $0.familyName = $1.familyName },
            "organization_name": { $0.organizationName = $1.organizationName },
            "status": { $0.status = $1.status },
            "contact": { $0.contact = $1.contact },
            "contact.emails": { target, source in nested(&target.contact) { $0.emails = source.contact?.emails ?? [] } },
            "contact.phones": { target, source in nested(&target.contact) { $0.phones = source.contact?.phones ?? [] } },
            "contact.mailing_address": { target, source in
                nested(&target.contact) { $0.mailingAddress = source.contact?.mailingAddress }
            },
            "demographics": { $0.demographics = $1.demographics },
            "communication_preferences": { $0.communicationPreferences = $1.communicationPreferences },
            "communication_preferences.preferred_channels": { target, source in
                nested(&target.communicationPreferences) { $0.preferredChannels = source.communicationPreferences?.preferredChannels ?? [] }
            },
            "communication_preferences.language_code": { target, source in
                nested(&target.communicationPreferences) { $0.languageCode = source.communicationPreferences?.languageCode ?? "" }
            },
            "communication_preferences.marketing_opt_in": { target, source in
                nested(&target.communicationPreferences) {
                    $0.marketingOptIn = source.communicationPreferences?.marketingOptIn ?? false
                }
            },
        ],
        outputOnly: ["customer_id", "relationship_scopes", "contact_withheld", "create_time", "update_time"])
}

/// Changes one field of an optional nested message, creating it when absent (for masks with
/// nested paths such as `contact.emails`).
func nested<Message: ProtoMessage>(_ message: inout Message?, _ change: (inout Message) -> Void) {
    var value = message ?? Message()
    change(&value)
    message = value
}
