import CustomerAPI
import ProtoRuntime
import QuantumTypes

/// Consents: the only bridge across the affiliate-rule boundary, so strict about what they say.
public enum ConsentRules {
    public static func forGrant(_ requested: Consent, id: String, now: Timestamp) throws(DomainError) -> Consent {
        var consent = requested
        try Check.id(consent.customerID, prefix: "CUS", "consent.customer_id")
        guard consent.recipientBusinessUnit == .regulated || consent.recipientBusinessUnit == .nonRegulated else {
            throw .invalid("consent.recipient_business_unit must be REGULATED or NON_REGULATED (corporate needs no consent)")
        }
        guard !consent.scopes.isEmpty else {
            throw .invalid("consent.scopes needs at least one of \(EnumNames.shortNames(of: ConsentScope.self).joined(separator: ", "))")
        }
        for (index, scope) in consent.scopes.enumerated() { try Check.specified(scope, "consent.scopes[\(index)]") }
        try Check.known(consent.source, "consent.source")
        try Check.text(consent.sourceReference, "consent.source_reference", max: Check.maxNameLength)
        try Check.timestamp(consent.expireTime, "consent.expire_time")
        if let expire = consent.expireTime, expire <= now {
            throw .invalid("consent.expire_time is not in the future")
        }
        consent.consentID = id
        consent.state = .active
        consent.grantTime = now
        consent.revokeTime = nil
        consent.revokeReason = ""
        return consent
    }

    /// Revokes an active consent; one that is no longer active is returned unchanged.
    public static func revoked(_ consent: Consent, reason: String, now: Timestamp) throws(DomainError) -> Consent {
        try Check.text(reason, "reason", max: Check.maxNameLength)
        let current = effective(consent, now: now)
        guard current.state == .active else { return current }
        var revoked = consent
        revoked.state = .revoked
        revoked.revokeTime = now
        revoked.revokeReason = reason
        return revoked
    }

    /// The consent as it stands at `now`: an ACTIVE one past its expire_time reads EXPIRED.
    public static func effective(_ consent: Consent, now: Timestamp) -> Consent {
        guard consent.state == .active, let expire = consent.expireTime, expire <= now else { return consent }
        var expired = consent
        expired.state = .expired
        return expired
    }

    /// Whether `consent` lets `recipient` read data of `scope` at `now`.
    public static func covers(_ consent: Consent, recipient: BusinessUnit, scope: ConsentScope, now: Timestamp) -> Bool {
        effective(consent, now: now).state == .active && consent.recipientBusinessUnit == recipient
            && consent.scopes.contains(scope)
    }
}
