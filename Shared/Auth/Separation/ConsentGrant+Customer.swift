import CustomerAPI
import QuantumTypes

extension ConsentGrant {
    /// The policy's view of a stored consent (its state is not looked at: pass active ones only).
    /// nil for a consent without a usable recipient.
    public init?(_ consent: Consent) {
        guard let recipient = BusinessUnitClaim(consent.recipientBusinessUnit) else { return nil }
        self.init(
            consentID: consent.consentID, recipient: recipient,
            covers: Set(consent.scopes.compactMap { scope -> SeparatedData? in
                switch scope {
                case .contactDetails: .contactDetails
                case .accountAndBilling: .accountAndBilling
                case .usageData: .usageData
                case .interactions: .interactions
                default: nil
                }
            }))
    }
}
