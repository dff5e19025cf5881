import Crypto
import Foundation

/// Makes compact JWS tokens (`header.payload.signature`) signed with Ed25519 (`"alg":"EdDSA"`,
/// RFC 8037). Used by tools and tests; services only verify.
public struct TokenMinter: Sendable {
    /// The raw 32 key bytes: swift-crypto's key types are not `Sendable`, bytes are.
    private let key: [UInt8]

    public init(privateKey: Curve25519.Signing.PrivateKey) {
        self.key = Array(privateKey.rawRepresentation)
    }

    /// The signed token for `claims`.
    public func mint(_ claims: TokenClaims) throws -> String {
        var payload: [String: Any] = [
            TokenClaims.Name.subject: claims.subject,
            TokenClaims.Name.businessUnit: claims.businessUnit.rawValue,
            TokenClaims.Name.scope: claims.scopes.joined(separator: " "),
            TokenClaims.Name.audience: claims.audience,
            TokenClaims.Name.issuedAt: Int64(claims.issuedAt.timeIntervalSince1970.rounded(.down)),
            TokenClaims.Name.notBefore: Int64(claims.notBefore.timeIntervalSince1970.rounded(.down)),
            TokenClaims.Name.expiresAt: Int64(claims.expiresAt.timeIntervalSince1970.rounded(.down)),
        ]
        if let tokenID = claims.tokenID { payload[TokenClaims.Name.tokenID] = tokenID }
        return try sign(header: ["alg": "EdDSA", "typ": "JWT"], payload: payload)
    }

    /// Signs any header and payload as given. Tests use it to make tokens that are validly
    /// signed but wrong in other ways (another `alg`, a missing claim, a claim of the wrong type).
    public func sign(header: [String: Any], payload: [String: Any]) throws -> String {
        let signingInput = Base64URL.encode(try Self.json(header)) + "." + Base64URL.encode(try Self.json(payload))
        let signature = try Curve25519.Signing.PrivateKey(rawRepresentation: key).signature(for: Data(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }

    private static func json(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }
}
