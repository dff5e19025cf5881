import Foundation
import MeshAuth
import RPCCore

/// Authentication for a `TestMesh`: a development Ed25519 key pair in a temp dir (every child
/// gets the public key), the corporate `customer.read` service token finance- and
/// metering-service send to customer-service, and tokens for the test's callers.
struct MeshAuthentication: Sendable {
    /// Every read/write scope of the six processes, and `finance.post`.
    static let allScopes = ["customer", "metering", "asset", "outage", "finance", "gateway"].flatMap { ["\($0).read", "\($0).write"] }
        + ["finance.post"]
    /// The read scopes a GetCustomerOverview fans out to.
    static let overviewScopes = ["gateway.read", "customer.read", "metering.read", "outage.read", "finance.read"]

    let directory: String
    let publicKeyPath: String
    let serviceTokenPath: String
    private let minter: TokenMinter

    static func generate() throws -> MeshAuthentication {
        let directory = NSTemporaryDirectory() + "gateway-auth-" + UUID().uuidString
        let keys = try DevelopmentKeyPair.loadOrGenerate(in: directory)
        let minter = TokenMinter(privateKey: try keys.loadPrivateKey())
        let serviceTokenPath = directory + "/service.token"
        let serviceToken = try mint(minter, .corporate, scopes: ["customer.read"], subject: "gateway-tests-service")
        try Data((serviceToken + "\n").utf8).write(to: URL(fileURLWithPath: serviceTokenPath))
        return MeshAuthentication(directory: directory, publicKeyPath: keys.publicKeyPath, serviceTokenPath: serviceTokenPath, minter: minter)
    }

    /// A token for the mesh's audience, valid for ten minutes.
    func token(_ unit: BusinessUnitClaim, scopes: [String], subject: String) throws -> String {
        try Self.mint(minter, unit, scopes: scopes, subject: subject)
    }

    /// Call options carrying `Bearer <token>` (and `x-request-id` when given).
    static func bearer(_ token: String, requestID: String? = nil, timeout: Duration = .seconds(10)) -> CallOptions {
        var metadata: Metadata = ["authorization": "Bearer \(token)"]
        if let requestID { metadata.add("x-request-id", requestID) }
        return .timeout(timeout, metadata: metadata)
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    private static func mint(_ minter: TokenMinter, _ unit: BusinessUnitClaim, scopes: [String], subject: String) throws -> String {
        let now = Date()
        return try minter.mint(TokenClaims(
            subject: subject, businessUnit: unit, scopes: scopes, audience: AuthOptions.defaultAudience,
            issuedAt: now, expiresAt: now.addingTimeInterval(600)))
    }
}
