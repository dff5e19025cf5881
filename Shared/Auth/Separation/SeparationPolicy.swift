/// Which business a piece of data belongs to (the record's regulatory scope).
public enum DataSide: String, Sendable, Hashable {
    case regulated
    case nonRegulated = "non_regulated"

    /// The separation rule that guards this side's data from the other business.
    public var rule: String {
        switch self {
        case .regulated: SeparationPolicy.regulatedDataRule
        case .nonRegulated: SeparationPolicy.nonRegulatedDataRule
        }
    }
}

/// The kinds of separated data, as a consent's scopes name them.
public enum SeparatedData: String, Sendable, Hashable, CaseIterable {
    /// E-mails, phones, mailing address.
    case contactDetails
    /// Accounts, agreements, transactions, balances and bills.
    case accountAndBilling
    /// Meter readings, consumption profiles and DER telemetry.
    case usageData
    /// Interaction history.
    case interactions
}

/// A customer's active consent, as the policy needs it: who may read, and what.
public struct ConsentGrant: Sendable, Hashable {
    public let consentID: String
    public let recipient: BusinessUnitClaim
    public let covers: Set<SeparatedData>

    public init(consentID: String, recipient: BusinessUnitClaim, covers: Set<SeparatedData>) {
        self.consentID = consentID
        self.recipient = recipient
        self.covers = covers
    }
}

/// What the policy decided for one read.
public enum SeparationDecision: Sendable, Hashable {
    /// The caller's own business's data (or data of neither side): no audit.
    case allowed
    /// The other business's data, bridged by the customer's consent: audited.
    case allowedByConsent(consentID: String, rule: String)
    /// A corporate caller reading either business's data: audited.
    case allowedByCorporateRole(rule: String)
    /// Refused under `rule`: audited; a get is PERMISSION_DENIED, a list leaves the record out.
    case denied(rule: String)

    public var isAllowed: Bool {
        if case .denied = self { false } else { true }
    }

    /// Cross-boundary reads and denials are audited; plain same-side reads are not.
    public var isAudited: Bool { self != .allowed }
}

/// The affiliate rules (standards of conduct) between the regulated utility and the
/// non-regulated business, as a pure function:
///
/// | caller          | data of its own side | data of the other side                 |
/// |-----------------|----------------------|----------------------------------------|
/// | regulated       | allowed              | consent covering it, else denied       |
/// | non_regulated   | allowed              | consent covering it, else denied       |
/// | corporate       | allowed by role (audited), for both sides                     ||
///
/// Data of neither side (e.g. a customer with no account yet) is allowed for everyone.
/// Denials name the rule guarding the data: "affiliate.regulated-data" or
/// "affiliate.non-regulated-data".
public enum SeparationPolicy {
    public static let regulatedDataRule = "affiliate.regulated-data"
    public static let nonRegulatedDataRule = "affiliate.non-regulated-data"
    /// A consent opens one business's data to the other; its recipient may not record it for
    /// itself (it would open the other side's data at will): the data's own business or
    /// corporate captures it. Revoking only narrows access, so it is not restricted.
    public static let consentCaptureRule = "affiliate.consent-capture"

    /// Whether `caller` may record a consent whose recipient is `recipient`.
    public static func mayGrantConsent(caller: Caller, recipient: BusinessUnitClaim) -> Bool {
        caller.businessUnit == .corporate || caller.businessUnit != recipient
    }

    /// - Parameters:
    ///   - recordSide: whose data it is; nil = neither side's.
    ///   - consents: the customer's *active* consents (revoked or expired ones are not passed).
    public static func decide(caller: Caller, recordSide: DataSide?, data: SeparatedData, consents: [ConsentGrant]) -> SeparationDecision {
        guard let recordSide else { return .allowed }
        switch (caller.businessUnit, recordSide) {
        case (.corporate, _):
            return .allowedByCorporateRole(rule: recordSide.rule)
        case (.regulated, .regulated), (.nonRegulated, .nonRegulated):
            return .allowed
        case (.regulated, .nonRegulated), (.nonRegulated, .regulated):
            let bridge = consents.first { $0.recipient == caller.businessUnit && $0.covers.contains(data) }
            if let bridge { return .allowedByConsent(consentID: bridge.consentID, rule: recordSide.rule) }
            return .denied(rule: recordSide.rule)
        }
    }

    /// Whose data a customer's contact details are, for this caller: a customer of the caller's
    /// own business (by any relationship) is its own; a customer only of the other business is
    /// that business's; a customer of neither is nobody's.
    public static func contactSide(relationships: Set<DataSide>, caller: Caller) -> DataSide? {
        switch caller.businessUnit {
        case .regulated where relationships.contains(.regulated): nil
        case .nonRegulated where relationships.contains(.nonRegulated): nil
        default: relationships.contains(.regulated) ? .regulated : relationships.first
        }
    }

    /// The PERMISSION_DENIED message for a refused get: the rule, never the data.
    public static func deniedMessage(rule: String, caller: Caller, data: SeparatedData) -> String {
        "separation rule \(rule): a \(caller.businessUnit.rawValue) caller may not read this \(data.readableName) "
            + "without the customer's active consent"
    }
}

extension SeparatedData {
    var readableName: String {
        switch self {
        case .contactDetails: "contact details"
        case .accountAndBilling: "account and billing data"
        case .usageData: "usage data"
        case .interactions: "interaction history"
        }
    }
}
