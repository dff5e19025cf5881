import AssetAPI
import ProtoRuntime
import RPCCore
import ServiceKit

/// The asset service's use cases over its store: each takes a request message, applies the
/// rules (`Rules/`), reads or writes the store in one transaction and returns the response.
/// Errors are `RPCError`s (and the store's `StoreError`s); the gRPC handler is a thin shell.
public struct AssetOperations: Sendable {
    let store: any Store
    let pages: PageTokenCodec
    let clock: AssetClock
    let ids: ResourceIDGenerator

    public init(store: any Store, pages: PageTokenCodec, clock: AssetClock = .system, ids: ResourceIDGenerator = .shared) {
        self.store = store
        self.pages = pages
        self.clock = clock
        self.ids = ids
    }

    func required<Message>(_ value: Message?, _ field: String) throws(RPCError) -> Message {
        guard let value else { throw Fail.invalid("\(field) is required") }
        return value
    }
}
