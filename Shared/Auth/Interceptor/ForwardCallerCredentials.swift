import RPCCore

/// Forwards the caller's `authorization` to the calls a handler makes on its behalf (the
/// gateway's fan-out), so each service applies the separation policy to the real caller.
/// Outside a handler, or when the call already carries credentials, nothing is added.
public struct ForwardCallerCredentials: ClientInterceptor {
    public init() {}

    public func intercept<Result: Sendable>(
        method: MethodDescriptor, options: CallOptions, next: (CallOptions) async throws -> Result
    ) async throws -> Result {
        var options = options
        if !options.metadata.contains("authorization"), let credentials = ServerContext.current?.requestMetadata.first("authorization") {
            options.metadata.add("authorization", credentials)
        }
        return try await next(options)
    }
}
