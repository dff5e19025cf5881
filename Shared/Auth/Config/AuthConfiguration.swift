import CoreMetrics
import Crypto
import Logging
import RPCCore

/// Resolved authentication settings of a service process.
public struct AuthConfiguration: Sendable {
    /// The key that verifies tokens (raw bytes: swift-crypto's key types are not `Sendable`);
    /// nil = authentication off.
    let publicKeyBytes: [UInt8]?
    public let publicKeyPath: String?
    public let audience: String
    /// Whether health checking and reflection answer without a token.
    public let exemptStandardServices: Bool
    /// The token this service sends to its peers, kept fresh from its file; nil = none.
    public let serviceToken: ServiceTokenFile?

    init(
        publicKey: Curve25519.Signing.PublicKey?, publicKeyPath: String?, audience: String, exemptStandardServices: Bool,
        serviceToken: ServiceTokenFile? = nil
    ) {
        self.serviceToken = serviceToken
        self.publicKeyBytes = publicKey.map { Array($0.rawRepresentation) }
        self.publicKeyPath = publicKeyPath
        self.audience = audience
        self.exemptStandardServices = exemptStandardServices
    }

    public var isEnabled: Bool { publicKeyBytes != nil }

    /// The client interceptors for channels to peers: the service token, when configured.
    public var peerInterceptors: [any ClientInterceptor] {
        serviceToken.map { [BearerCredentials(tokenFile: $0)] } ?? []
    }

    /// The interceptors to give `ServiceRunner`: the auth interceptor, or none (with a warning
    /// that anyone can read everything) when no public key is configured.
    public func makeInterceptors(metricsFactory: any MetricsFactory, logger: Logger) -> [any ServerInterceptor] {
        guard let publicKeyBytes, let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKeyBytes) else {
            logger.warning(
                "AUTHENTICATION IS OFF: no --auth-public-key / QE_AUTH_PUBLIC_KEY; every caller may call every method and the separation policy is not applied")
            return []
        }
        logger.info(
            "authentication on",
            metadata: [
                "public_key": "\(publicKeyPath ?? "")", "audience": "\(audience)",
                "health_and_reflection_without_token": "\(exemptStandardServices)",
            ])
        let verifier = TokenVerifier(publicKey: publicKey, audience: audience)
        return [AuthInterceptor(
            verifier: verifier, exemptStandardServices: exemptStandardServices, metrics: AuthMetrics(factory: metricsFactory))]
    }
}
