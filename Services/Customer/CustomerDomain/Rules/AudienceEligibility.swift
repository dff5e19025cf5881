import CustomerAPI
import ProtoRuntime
import QuantumTypes

/// Who a campaign (or a sales opportunity) of the non-regulated business may approach: a
/// customer of the non-regulated business, or one who consented to the non-regulated business
/// using their contact details. A regulated-only customer without that consent is out, and so
/// is a customer with no account at all (nobody's customer data may be used without a basis).
public enum AudienceEligibility {
    public struct Decision: Sendable, Equatable {
        public let basis: AudienceBasis
        public let consentID: String

        public init(basis: AudienceBasis, consentID: String) {
            self.basis = basis
            self.consentID = consentID
        }
    }

    /// The basis for approaching a customer, or nil when there is none.
    public static func decide(relationshipScopes: [RegulatoryScope], consents: [Consent], now: Timestamp) -> Decision? {
        if relationshipScopes.contains(.nonRegulated) {
            return Decision(basis: .nonRegulatedCustomer, consentID: "")
        }
        if let consent = consents.first(where: {
            ConsentRules.covers($0, recipient: .nonRegulated, scope: .contactDetails, now: now)
        }) {
            return Decision(basis: .consent, consentID: consent.consentID)
        }
        return nil
    }
}
