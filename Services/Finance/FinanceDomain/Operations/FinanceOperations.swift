import FinanceAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit

/// The finance service's use cases over its store: each takes a request message, applies the
/// rules (`Rules/`, `Billing/`), reads or writes the store in one transaction and returns the
/// response. Errors are `RPCError`s (or the store's `StoreError`s, convertible to a status).
/// The gRPC handler is a thin shell around this type.
public struct FinanceOperations: Sendable {
    let store: any Store
    let pages: PageTokenCodec
    let clock: FinanceClock
    let ids: ResourceIDGenerator

    public init(store: any Store, pages: PageTokenCodec, clock: FinanceClock = .system, ids: ResourceIDGenerator = .shared) {
        self.store = store
        self.pages = pages
        self.clock = clock
        self.ids = ids
    }

    /// `Store.idempotentWrite`, with money's extra rule: where `required`, a request without a
    /// `request_id` is refused, because a retry of it could move money twice.
    func idempotentWrite<Request: ProtoMessage, Response: ProtoMessage>(
        _ request: Request, requestID: WritableKeyPath<Request, String>, method: String, required: Bool = false,
        _ create: @escaping @Sendable (any StoreWriting) throws -> Response
    ) async throws -> Response {
        if required, request[keyPath: requestID].isEmpty {
            throw Fail.invalid("request_id is required for \(method): money must never move twice on a retry")
        }
        return try await store.idempotentWrite(request, requestID: requestID, method: method, create)
    }

    /// The message of a request field that must be present.
    func required<Message>(_ value: Message?, _ field: String) throws(RPCError) -> Message {
        guard let value else { throw Fail.invalid("\(field) is required") }
        return value
    }

    /// A page of `resource` under a token bound to `fields` (every request field but the paging ones).
    func list<Resource: ProtoMessage & Sendable>(
        _ resource: StoredResource<Resource>, method: String, fields: [String: String], where conditions: [Condition],
        order: KeysetList = KeysetList(), pageSize: Int32, pageToken: String
    ) async throws -> (items: [Resource], nextPageToken: String) {
        try await order.page(
            resource, where: conditions, query: PageQuery(method: method, fields: fields),
            pageSize: pageSize, pageToken: pageToken, codec: pages, store: store)
    }
}
