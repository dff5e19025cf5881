import Foundation
import MeshAuth

/// The credentials of a development mesh, kept in `<data-dir>/auth/`: an Ed25519 signing key
/// pair (generated on first start, kept so tokens minted earlier stay valid after a restart),
/// and the service tokens finance- and metering-service send to customer-service when they
/// check an account's owner and consents (corporate, `customer.read`).
public struct MeshCredentials: Sendable {
    /// `qe mesh up`'s default data directory (relative to the working directory).
    public static let defaultDataDirectory = "data/mesh"
    /// Service tokens are re-minted on every start; this long, so a mesh left running for a
    /// few weeks keeps working (a real deployment rotates them through its issuer).
    public static let serviceTokenLifetime: Duration = .seconds(30 * 86_400)

    public let keys: DevelopmentKeyPair
    /// Service name → path of the token file it sends to its peers.
    public let serviceTokenFiles: [String: String]

    public static func directory(forDataDirectory dataDirectory: String) -> String { dataDirectory + "/auth" }

    /// Loads or generates the key pair and writes fresh service tokens for `callers`.
    public static func prepare(dataDirectory: String, callers: [String] = ["finance", "metering"]) throws -> MeshCredentials {
        let directory = directory(forDataDirectory: dataDirectory)
        let keys = try DevelopmentKeyPair.loadOrGenerate(in: directory)
        var files: [String: String] = [:]
        for caller in callers {
            let token = try DevelopmentTokens.mint(
                signingKeyPath: keys.privateKeyPath, subject: "\(caller)-service", businessUnit: .corporate,
                scopes: ["customer.read"], lifetime: serviceTokenLifetime)
            let path = directory + "/\(caller)-service.token"
            // Written owner-only: the file is a credential.
            guard FileManager.default.createFile(atPath: path, contents: Data((token + "\n").utf8), attributes: [.posixPermissions: 0o600])
            else { throw CommandFailure("cannot write \(path)") }
            files[caller] = path
        }
        return MeshCredentials(keys: keys, serviceTokenFiles: files)
    }

    /// The environment one child gets: the public key for every service, a service token for
    /// the services that call customer-service on their own behalf.
    public func environment(for service: MeshService) -> [String: String] {
        var environment = ["QE_AUTH_PUBLIC_KEY": keys.publicKeyPath]
        if let file = serviceTokenFiles[service.name] { environment["QE_AUTH_SERVICE_TOKEN_FILE"] = file }
        return environment
    }

    /// A token for the demo seeder: corporate, every scope, one hour.
    public func seederToken() throws -> String {
        try DevelopmentTokens.mint(
            signingKeyPath: keys.privateKeyPath, subject: "demo-seed", businessUnit: .corporate,
            scopes: DevelopmentTokens.allScopes, lifetime: .seconds(3600))
    }
}
