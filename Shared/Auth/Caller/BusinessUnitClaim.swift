/// The `business_unit` claim: which side of the affiliate-rule boundary a caller works for.
public enum BusinessUnitClaim: String, Sendable, Hashable, CaseIterable {
    /// The regulated utility (electric and gas delivery).
    case regulated
    /// The non-regulated business (EV chargers, smart home, rooftop solar).
    case nonRegulated = "non_regulated"
    /// Finance and regulatory reporting: reads both sides, every cross-boundary read audited.
    case corporate
}
