import ProtoRuntime
import RPCCore
import ServiceKit

/// One resource table: `id`, `body` and the query columns derived from the resource.
struct Rows<Resource: ProtoMessage>: Sendable {
    let table: String
    let kind: String
    let columns: @Sendable (Resource) -> [(String, any SQLValueConvertible)]

    func fetch(_ id: String, _ db: any StoreReading) throws -> Resource? {
        try db.queryOne("SELECT body FROM \(table) WHERE id = ?", id).map(decode)
    }

    func require(_ id: String, _ db: any StoreReading, referencedAs field: String? = nil) throws -> Resource {
        if let resource = try fetch(id, db) { return resource }
        if let field { throw Fail.precondition("\(field) '\(id)' does not exist: no such \(kind)") }
        throw Fail.notFound(kind, id)
    }

    /// Inserts or replaces the row (the body and every column are rewritten together).
    func save(_ id: String, _ resource: Resource, _ tx: any StoreWriting) throws {
        let columns = columns(resource)
        let names = (["id", "body"] + columns.map(\.0)).joined(separator: ", ")
        let marks = Array(repeating: "?", count: columns.count + 2).joined(separator: ", ")
        try tx.execute(
            "INSERT OR REPLACE INTO \(table) (\(names)) VALUES (\(marks))",
            parameters: [id, resource.protobufBytes()] + columns.map(\.1))
    }

    func decode(_ row: Row) throws -> Resource {
        let bytes: [UInt8] = try row.get("body")
        do {
            return try Resource(protobufBytes: bytes)
        } catch {
            throw RPCError(code: .dataLoss, message: "a stored \(kind) is unreadable")
        }
    }
}
