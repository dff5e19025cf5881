import Foundation

/// Why a call's credentials were refused. Each case has its own `reason` (a metrics label and
/// the start of the UNAUTHENTICATED message), so a caller and an operator can tell them apart.
public enum TokenRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// No `authorization` metadata at all.
    case missingCredentials
    /// `authorization` is there but is not `Bearer <token>`.
    case notBearer
    /// Not three dot-separated segments, empty, or too long.
    case malformed(String)
    /// A segment is not unpadded base64url.
    case badEncoding(segment: String)
    /// The header or payload is not a JSON object.
    case badJSON(segment: String)
    /// `alg` is not exactly "EdDSA" (this includes "none" and every HMAC or RSA algorithm).
    case unsupportedAlgorithm(String)
    /// The header asks for something we do not implement (`crit`).
    case unsupportedHeader(String)
    /// The signature does not verify with the configured public key (forged, or another key).
    case badSignature
    /// `exp` has passed (beyond the leeway).
    case expired(Date)
    /// `nbf` is still in the future (beyond the leeway).
    case notYetValid(Date)
    /// `aud` does not name this mesh.
    case wrongAudience(String)
    /// A required claim is absent.
    case missingClaim(String)
    /// A claim has the wrong JSON type or an unusable value.
    case invalidClaim(String, expected: String)
    /// `business_unit` is not regulated, non_regulated or corporate.
    case unknownBusinessUnit(String)

    /// A short stable name, for metrics.
    public var reason: String {
        switch self {
        case .missingCredentials: "missing_credentials"
        case .notBearer: "not_bearer"
        case .malformed: "malformed"
        case .badEncoding: "bad_encoding"
        case .badJSON: "bad_json"
        case .unsupportedAlgorithm: "unsupported_algorithm"
        case .unsupportedHeader: "unsupported_header"
        case .badSignature: "bad_signature"
        case .expired: "expired"
        case .notYetValid: "not_yet_valid"
        case .wrongAudience: "wrong_audience"
        case .missingClaim: "missing_claim"
        case .invalidClaim: "invalid_claim"
        case .unknownBusinessUnit: "unknown_business_unit"
        }
    }

    /// What the caller is told (never the token itself).
    public var description: String {
        switch self {
        case .missingCredentials:
            "missing credentials: send metadata 'authorization: Bearer <token>'"
        case .notBearer:
            "not a bearer token: the authorization metadata must be 'Bearer <token>'"
        case .malformed(let detail):
            "malformed token: \(detail)"
        case .badEncoding(let segment):
            "malformed token: the \(segment) is not unpadded base64url"
        case .badJSON(let segment):
            "malformed token: the \(segment) is not a JSON object"
        case .unsupportedAlgorithm(let alg):
            "unsupported token algorithm '\(alg)': only EdDSA (Ed25519) tokens are accepted"
        case .unsupportedHeader(let name):
            "unsupported token header '\(name)'"
        case .badSignature:
            "invalid token signature: not signed by this mesh's key"
        case .expired(let time):
            "token expired at \(Self.format(time))"
        case .notYetValid(let time):
            "token not valid before \(Self.format(time))"
        case .wrongAudience(let audience):
            "token audience \(audience) does not include this mesh"
        case .missingClaim(let name):
            "token claim '\(name)' is missing"
        case .invalidClaim(let name, let expected):
            "token claim '\(name)' is invalid: expected \(expected)"
        case .unknownBusinessUnit(let value):
            "token claim 'business_unit' is '\(value)': expected regulated, non_regulated or corporate"
        }
    }

    private static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
