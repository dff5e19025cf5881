import CustomerAPI
import ProtoRuntime
import RPCCore
import ServiceKit

/// The customer service's use cases over its store: each takes a request message, applies the
/// rules (`Rules/`), reads or writes the store in one transaction, and returns the response
/// message. Errors are `DomainError`s (and the store's own `StoreError`s), both convertible
/// to gRPC statuses. The gRPC handler is a thin shell around this type.
///
/// Separation (issue 11) is applied to these answers by the service layer
/// (`CustomerSeparation`), with the lookups in `CustomerOperations+Separation.swift`.
public struct CustomerOperations: Sendable {
    let store: any Store
    let pages: PageTokenCodec
    let clock: DomainClock
    let ids: ResourceIDGenerator

    public init(store: any Store, pages: PageTokenCodec, clock: DomainClock = .system, ids: ResourceIDGenerator = .shared) {
        self.store = store
        self.pages = pages
        self.clock = clock
        self.ids = ids
    }

    /// The message of a request field that must be present, e.g. `customer`.
    func required<Message>(_ value: Message?, _ field: String) throws(DomainError) -> Message {
        guard let value else { throw .invalid("\(field) is required") }
        return value
    }

    /// Batch gets: each distinct id once, in request order, with the ids that do not exist.
    func batchGet<Resource: ProtoMessage>(
        _ ids: [String], prefix: String, field: String, table: ResourceTable<Resource>
    ) async throws -> (found: [Resource], missing: [String]) {
        try Check.batch(ids, prefix: prefix, field)
        let distinct = ids.uniqued()
        return try await store.read { db in
            var found: [Resource] = [], missing: [String] = []
            for id in distinct {
                if let resource = try table.fetch(id, db) { found.append(resource) } else { missing.append(id) }
            }
            return (found, missing)
        }
    }

    /// Reads one page of `table` under a signed page token.
    func listPage<Resource: ProtoMessage>(
        _ table: ResourceTable<Resource>, method: String, fields: [String: String], pageSize: Int32, pageToken: String,
        where conditions: [SQLCondition], order: ListOrder = .byID
    ) async throws -> (items: [Resource], nextPageToken: String) {
        try await store.read(try preparePage(
            table, method: method, fields: fields, pageSize: pageSize, pageToken: pageToken, where: conditions, order: order,
            respond: { ($0, $1) }))
    }

    /// One page of `table`, checked (page size; page token signed and bound to `fields`) before
    /// the store is touched, and read later inside whichever read transaction runs it: its own
    /// (a List call) or one shared with other pages (GetCustomerSummary's single snapshot).
    func preparePage<Resource: ProtoMessage, Response: Sendable>(
        _ table: ResourceTable<Resource>, method: String, fields: [String: String], pageSize: Int32, pageToken: String,
        where conditions: [SQLCondition], order: ListOrder = .byID,
        respond: @escaping @Sendable (_ items: [Resource], _ nextPageToken: String) -> Response
    ) throws -> PreparedRead<Response> {
        let page = try PageRequest(method: method, fields: fields, pageSize: pageSize, pageToken: pageToken, codec: pages)
        let pages = self.pages
        return { db in
            let result = try KeysetPage.read(table, db, where: conditions, order: order, after: page.cursor, limit: page.size)
            return respond(result.items, page.nextToken(result, codec: pages))
        }
    }
}

/// A read whose request is already checked: it runs synchronously in a read transaction.
typealias PreparedRead<Response> = @Sendable (any StoreReading) throws -> Response
