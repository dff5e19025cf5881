import RPCCore

/// What every downstream call of one gateway request shares: its deadline (the caller's minus
/// a margin) and the metadata forwarded from the caller. Runs a call either as a section
/// (its failure becomes the section's status) or as an essential step (its failure fails the
/// request with the downstream's code and a message naming the service).
public struct DownstreamCall: Sendable {
    public let policy: DeadlinePolicy
    /// Forwarded caller metadata (authorization, request and trace ids).
    public let metadata: Metadata
    /// The shared downstream deadline; nil when the caller had none.
    public let sharedDeadline: Deadline?

    public init(callerDeadline: Deadline, callerMetadata: Metadata, policy: DeadlinePolicy = DeadlinePolicy(),
                now: ContinuousClock.Instant = .now) {
        self.policy = policy
        self.metadata = ForwardedMetadata.make(from: callerMetadata)
        self.sharedDeadline = policy.downstreamDeadline(caller: callerDeadline, now: now)
    }

    /// Who the downstream calls are made for, as the services will see it (the forwarded
    /// `authorization`; "" without one): what a caller may read depends on it.
    public var callerIdentity: String { metadata.first("authorization") ?? "" }

    /// The options for one downstream call made now.
    public func options() -> CallOptions {
        CallOptions(deadline: sharedDeadline ?? .after(policy.defaultTimeout), metadata: metadata)
    }

    /// Runs an essential step: any failure is rethrown with the downstream's code and a
    /// message naming the service, e.g. "customer-service: customer 'CUS-1' not found".
    public func essential<Value>(_ service: DownstreamService, _ body: (CallOptions) async throws -> Value) async throws -> Value {
        do {
            return try await body(options())
        } catch {
            let rpcError = RPCError(from: error)
            throw RPCError(code: rpcError.code, message: "\(service.displayName): \(rpcError.message)")
        }
    }

    /// Runs the call(s) feeding one section; never throws.
    public func section<Value: Sendable>(
        _ service: DownstreamService, notFound: SectionStatuses.NotFoundMeaning = .failed,
        _ body: (CallOptions) async throws -> Value
    ) async -> Section<Value> {
        do {
            let value = try await body(options())
            return Section(value: value, status: SectionStatuses.ok(service))
        } catch {
            return Section(value: nil, status: SectionStatuses.from(RPCError(from: error), service: service, notFound: notFound))
        }
    }
}
