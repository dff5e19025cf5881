import ServiceKit

/// A list request's page: how many rows, where to resume, and the query its token is bound to.
struct PageRequest: Sendable {
    let query: PageQuery
    let size: Int
    let cursor: [String]?

    /// Checks `pageSize` (AIP-158) and `pageToken` (signed, bound to `fields`: every request
    /// field except page_size and page_token).
    init(method: String, fields: [String: String], pageSize: Int32, pageToken: String, codec: PageTokenCodec) throws {
        query = PageQuery(method: method, fields: fields)
        size = try PageSizePolicy().resolve(pageSize)
        cursor = try codec.cursor(from: pageToken, for: query)
    }

    /// The token for the page after `page`, or "" after the last one.
    func nextToken<Resource>(_ page: KeysetPage<Resource>, codec: PageTokenCodec) -> String {
        page.next.map { codec.makeToken(cursor: $0, for: query) } ?? ""
    }
}
