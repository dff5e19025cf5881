import RPCCore

/// Sends a service's own token on the calls it makes to its peers (e.g. finance-service asking
/// customer-service whose account a transaction is on). Calls that already carry an
/// `authorization` header keep it.
public struct BearerCredentials: ClientInterceptor {
    private let token: @Sendable () -> String

    public init(token: String) {
        self.token = { token }
    }

    /// The token in `tokenFile` as it is at each call, so a rotated token is sent once it is in place.
    public init(tokenFile: ServiceTokenFile) {
        self.token = { tokenFile.token }
    }

    public func intercept<Result: Sendable>(
        method: MethodDescriptor, options: CallOptions, next: (CallOptions) async throws -> Result
    ) async throws -> Result {
        var options = options
        if !options.metadata.contains("authorization") { options.metadata.add("authorization", "Bearer \(token())") }
        return try await next(options)
    }
}
