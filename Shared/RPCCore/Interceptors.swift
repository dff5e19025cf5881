/// Wraps every call a server handles (logging, metrics, auth, tracing). Call `next` to run
/// the handler; throw an `RPCError` instead to reject the call (e.g. UNAUTHENTICATED).
/// Interceptors run in the handler's task, in the order the server was given them.
public protocol ServerInterceptor: Sendable {
    func intercept(context: ServerContext, next: () async throws -> Void) async throws
}

/// Wraps every call a client channel makes. May change the options (add auth metadata,
/// tighten the deadline) before calling `next`, observe the outcome, or fail the call.
public protocol ClientInterceptor: Sendable {
    func intercept<Result: Sendable>(
        method: MethodDescriptor, options: CallOptions,
        next: (CallOptions) async throws -> Result
    ) async throws -> Result
}
