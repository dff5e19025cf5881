import Crypto

/// The fields of a list request that a page token is bound to: the method and every request
/// field except `page_size` and `page_token` (AIP-158: the other fields must not change
/// between pages). A token made for one query is refused for any other.
public struct PageQuery: Sendable, Hashable {
    public let method: String
    public let fields: [String: String]

    /// `fields`: e.g. `["parent": accountID, "filter": request.filter, "order_by": request.orderBy]`.
    /// Empty values count: `filter = ""` and a missing filter are the same query.
    public init(method: String, fields: [String: String] = [:]) {
        self.method = method
        self.fields = fields.filter { !$0.value.isEmpty }
    }

    /// SHA-256 over a canonical encoding (sorted keys, length-prefixed, so no two different
    /// queries encode alike).
    var digest: [UInt8] {
        var hasher = SHA256()
        func add(_ text: String) {
            let bytes = Array(text.utf8)
            hasher.update(data: withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { Array($0) })
            hasher.update(data: bytes)
        }
        add(method)
        for key in fields.keys.sorted() {
            add(key)
            add(fields[key]!)
        }
        return Array(hasher.finalize())
    }
}
