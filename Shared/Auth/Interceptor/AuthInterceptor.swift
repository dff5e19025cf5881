import RPCCore

/// Authenticates and authorizes every call a server handles.
///
/// Reads `authorization: Bearer <token>` from the call's metadata and verifies it
/// (``TokenVerifier``): any failure is UNAUTHENTICATED with the reason. A valid token without
/// the method's scope (``MethodScopes``) is PERMISSION_DENIED naming the scope. Otherwise the
/// handler runs with ``Caller/current`` bound to the token's caller.
///
/// gRPC health checking and server reflection are served without a token unless
/// `exemptStandardServices` is false (load balancers and grpcurl do not carry tokens).
public struct AuthInterceptor: ServerInterceptor {
    public let verifier: TokenVerifier
    public let scopes: MethodScopes
    public let exemptStandardServices: Bool
    private let metrics: AuthMetrics?

    /// Services that answer without a token when `exemptStandardServices` is on.
    public static let standardServicePrefixes = ["grpc.health.v1.", "grpc.reflection."]

    public init(verifier: TokenVerifier, scopes: MethodScopes = MethodScopes(), exemptStandardServices: Bool = true, metrics: AuthMetrics? = nil) {
        self.verifier = verifier
        self.scopes = scopes
        self.exemptStandardServices = exemptStandardServices
        self.metrics = metrics
    }

    public func intercept(context: ServerContext, next: () async throws -> Void) async throws {
        if exemptStandardServices, Self.standardServicePrefixes.contains(where: context.method.service.hasPrefix) {
            metrics?.record("exempt")
            return try await next()
        }
        let caller: Caller
        do {
            caller = try verifier.verify(authorization: context.requestMetadata.first("authorization"))
        } catch {
            metrics?.record("unauthenticated", reason: error.reason)
            throw RPCError(code: .unauthenticated, message: error.description)
        }
        let required = scopes.scope(for: context.method)
        guard caller.hasScope(required) else {
            metrics?.record("permission_denied", reason: required)
            throw RPCError(
                code: .permissionDenied,
                message: "\(context.method.method) needs scope '\(required)'; the token of \(caller.subject) grants "
                    + (caller.scopes.isEmpty ? "none" : caller.scopes.sorted().map { "'\($0)'" }.joined(separator: ", ")))
        }
        metrics?.recordOK()
        try await Caller.$current.withValue(caller) { try await next() }
    }
}
