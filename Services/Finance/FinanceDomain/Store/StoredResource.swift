import ProtoRuntime
import RPCCore
import ServiceKit

/// A table of one resource kind: `id`, `body` (protobuf bytes) and derived query columns.
/// Table and column names are constants of this module; values are always bound.
struct StoredResource<Resource: ProtoMessage>: Sendable {
    let table: String
    let kind: String
    let columns: @Sendable (Resource) -> [(String, SQLValue)]

    func find(_ id: String, _ db: any StoreReading) throws -> Resource? {
        try db.queryOne("SELECT body FROM \(table) WHERE id = ?", id).map(decode)
    }

    /// The resource, or NOT_FOUND naming `id`.
    func get(_ id: String, _ db: any StoreReading) throws -> Resource {
        guard let resource = try find(id, db) else { throw Fail.notFound(kind, id) }
        return resource
    }

    func insert(_ id: String, _ resource: Resource, _ tx: any StoreWriting, extra: [(String, SQLValue)] = []) throws {
        let all = columns(resource) + extra
        let names = (["id", "body"] + all.map(\.0)).joined(separator: ", ")
        let marks = Array(repeating: "?", count: all.count + 2).joined(separator: ", ")
        try tx.execute("INSERT INTO \(table) (\(names)) VALUES (\(marks))", parameters: [id, resource.protobufBytes()] + all.map(\.1))
    }

    func replace(_ id: String, _ resource: Resource, _ tx: any StoreWriting) throws {
        let all = columns(resource)
        let assignments = (["body"] + all.map(\.0)).map { "\($0) = ?" }.joined(separator: ", ")
        try tx.execute("UPDATE \(table) SET \(assignments) WHERE id = ?", parameters: [resource.protobufBytes()] + all.map(\.1) + [id])
    }

    func decode(_ row: Row) throws -> Resource {
        do {
            let bytes: [UInt8] = try row["body"]
            return try Resource(protobufBytes: bytes)
        } catch {
            throw RPCError(code: .dataLoss, message: "a stored \(kind) is unreadable")
        }
    }
}
