import OutageAPI
import ProtoRuntime
import RPCCore
import ServiceKit

/// The outage service's use cases over its store: each takes a request message, applies the
/// rules (`Rules/`), reads or writes the store in one transaction and returns the response.
/// Errors are `RPCError`s (and the store's `StoreError`s); the gRPC handler is a thin shell.
public struct OutageOperations: Sendable {
    let store: any Store
    let pages: PageTokenCodec
    let clock: OutageClock
    let ids: ResourceIDGenerator
    /// Wakes WatchOutages subscribers after each committed outage change.
    let changes: ChangeSignal
    /// Hands committed grid and pipeline samples to WatchGridAlarms subscribers.
    let samples: SampleBroadcaster

    public init(store: any Store, pages: PageTokenCodec, clock: OutageClock = .system, ids: ResourceIDGenerator = .shared,
                changes: ChangeSignal = ChangeSignal(), samples: SampleBroadcaster = SampleBroadcaster()) {
        self.store = store
        self.pages = pages
        self.clock = clock
        self.ids = ids
        self.changes = changes
        self.samples = samples
    }

    /// Runs `insert` in a write transaction under `request_id` idempotency: a replay returns
    /// the first response, a different body under the same id is ALREADY_EXISTS.
    func idempotentCreate<Request: ProtoMessage, Response: ProtoMessage>(
        _ request: Request, requestID: WritableKeyPath<Request, String>, method: String,
        _ insert: @escaping @Sendable (any StoreWriting) throws -> Response
    ) async throws -> Response {
        let key = try IdempotencyKey.make(for: request, requestID: requestID, method: method)
        return try await store.write { tx in try Idempotency.perform(tx, key: key) { try insert(tx) } }
    }

    func required<Message>(_ value: Message?, _ field: String) throws(RPCError) -> Message {
        guard let value else { throw Fail.invalid("\(field) is required") }
        return value
    }
}
