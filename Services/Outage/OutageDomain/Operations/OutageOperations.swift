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

    func required<Message>(_ value: Message?, _ field: String) throws(RPCError) -> Message {
        guard let value else { throw Fail.invalid("\(field) is required") }
        return value
    }
}
