import Foundation
import MeshAuth
import RPCCore

/// A development key pair in a test's directory and bearer tokens signed with it, for tests
/// that start services with authentication on (in-process with `verifier()`, or as processes
/// with `--auth-public-key keys.publicKeyPath`).
public struct TestTokens: Sendable {
    public let keys: DevelopmentKeyPair
    private let minter: TokenMinter

    public init(directory: String) throws {
        keys = try DevelopmentKeyPair.loadOrGenerate(in: directory)
        minter = TokenMinter(privateKey: try keys.loadPrivateKey())
    }

    /// What a service verifying these tokens uses.
    public func verifier() throws -> TokenVerifier {
        TokenVerifier(publicKey: try keys.loadPublicKey(), audience: AuthOptions.defaultAudience)
    }

    /// A token valid for five minutes.
    public func token(_ unit: BusinessUnitClaim, _ scopes: [String], subject: String) throws -> String {
        let now = Date()
        return try minter.mint(TokenClaims(
            subject: subject, businessUnit: unit, scopes: scopes, audience: AuthOptions.defaultAudience,
            issuedAt: now, expiresAt: now.addingTimeInterval(300)))
    }

    /// Call options carrying a token of `unit` (subject "<unit>-app") and an `x-request-id` when one is given.
    public func options(_ unit: BusinessUnitClaim, _ scopes: [String], requestID: String = "") throws -> CallOptions {
        var metadata: Metadata = ["authorization": "Bearer \(try token(unit, scopes, subject: unit.rawValue + "-app"))"]
        if !requestID.isEmpty { metadata.add("x-request-id", requestID) }
        return .timeout(.seconds(10), metadata: metadata)
    }
}
