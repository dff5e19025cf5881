import Foundation
import MeshAuth

/// Development tokens: minted from the mesh's signing key for people (`qe token mint`), the
/// demo seeder and the services' own calls to peers. Production tokens come from the
/// organisation's issuer; the services only ever hold the public key.
public enum DevelopmentTokens {
    /// The domains whose scopes a development token may carry.
    public static let domains = ["customer", "metering", "asset", "outage", "finance", "gateway"]

    /// Every scope the services check: `<domain>.read`, `<domain>.write`, and `finance.post`.
    public static let allScopes: [String] = domains.flatMap { ["\($0).read", "\($0).write"] } + ["finance.post"]

    /// Every read scope.
    public static let readScopes: [String] = domains.map { "\($0).read" }

    /// Where `qe token mint` looks for the signing key: QE_SIGNING_KEY, then the default
    /// mesh's (`./data/mesh/auth/…`), the one `qe mesh up` generates.
    public static func defaultSigningKeyPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["QE_SIGNING_KEY"], !path.isEmpty { return path }
        let relative = MeshCredentials.directory(forDataDirectory: MeshCredentials.defaultDataDirectory) + "/" + DevelopmentKeyPair.privateKeyFileName
        return URL(fileURLWithPath: relative).standardizedFileURL.path
    }

    /// A signed token for `subject` of `businessUnit` with `scopes`, valid for `lifetime` from now.
    public static func mint(
        signingKeyPath: String, subject: String, businessUnit: BusinessUnitClaim, scopes: [String],
        lifetime: Duration, audience: String = AuthOptions.defaultAudience, now: Date = Date()
    ) throws -> String {
        let key = try Ed25519KeyFiles.loadPrivateKey(path: signingKeyPath)
        let seconds = Double(lifetime.components.seconds) + Double(lifetime.components.attoseconds) / 1e18
        let claims = TokenClaims(
            subject: subject, businessUnit: businessUnit, scopes: scopes, audience: audience,
            issuedAt: now, expiresAt: now.addingTimeInterval(seconds), tokenID: UUID().uuidString.lowercased())
        return try TokenMinter(privateKey: key).mint(claims)
    }
}
