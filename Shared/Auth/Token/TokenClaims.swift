import Foundation

/// The claims our tokens carry (RFC 7519 registered claims plus `business_unit` and `scope`).
public struct TokenClaims: Sendable, Hashable {
    /// `sub`: the calling system.
    public var subject: String
    /// `business_unit`: regulated, non_regulated or corporate.
    public var businessUnit: BusinessUnitClaim
    /// `scope`: space-separated, e.g. "customer.read finance.post".
    public var scopes: [String]
    /// `aud`: who the token is for, e.g. "quantum-mesh".
    public var audience: String
    /// `iat`: when it was issued.
    public var issuedAt: Date
    /// `nbf`: not valid before.
    public var notBefore: Date
    /// `exp`: not valid from this instant on.
    public var expiresAt: Date
    /// `jti`: an optional token id (for logs and revocation lists).
    public var tokenID: String?

    public init(
        subject: String, businessUnit: BusinessUnitClaim, scopes: [String], audience: String,
        issuedAt: Date, notBefore: Date? = nil, expiresAt: Date, tokenID: String? = nil
    ) {
        self.subject = subject
        self.businessUnit = businessUnit
        self.scopes = scopes
        self.audience = audience
        self.issuedAt = issuedAt
        self.notBefore = notBefore ?? issuedAt
        self.expiresAt = expiresAt
        self.tokenID = tokenID
    }

    /// The claim names, as they appear in the payload.
    enum Name {
        static let subject = "sub"
        static let businessUnit = "business_unit"
        static let scope = "scope"
        static let audience = "aud"
        static let issuedAt = "iat"
        static let notBefore = "nbf"
        static let expiresAt = "exp"
        static let tokenID = "jti"
    }
}
