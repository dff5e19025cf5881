import ProtoRuntime
import RPCCore
import ServiceKit

/// One resource's table: `id`, `body` (the protobuf bytes) and the query columns that
/// `columns` derives from the resource. Table and column names are constants of this module.
struct ResourceTable<Resource: ProtoMessage>: Sendable {
    /// The SQL table.
    let name: String
    /// The resource's name in messages, e.g. "customer".
    let kind: String
    /// The query columns for a resource, in a fixed order.
    let columns: @Sendable (Resource) -> [(String, SQLValue)]

    func fetch(_ id: String, _ db: any StoreReading) throws -> Resource? {
        guard let row = try db.queryOne("SELECT body FROM \(name) WHERE id = ?", id) else { return nil }
        return try decode(row)
    }

    /// The resource, or `missing` (NOT_FOUND for the addressed resource, FAILED_PRECONDITION
    /// for a referenced one) naming the id.
    func require(_ id: String, _ db: any StoreReading, referencedAs field: String? = nil) throws -> Resource {
        if let resource = try fetch(id, db) { return resource }
        if let field {
            throw DomainError.precondition("\(field) '\(id)' does not exist: no such \(kind)")
        }
        throw DomainError.notFound(kind, id)
    }

    func exists(_ id: String, _ db: any StoreReading) throws -> Bool {
        try db.queryOne("SELECT 1 FROM \(name) WHERE id = ?", id) != nil
    }

    func insert(_ id: String, _ resource: Resource, _ tx: any StoreWriting) throws {
        let columns = columns(resource)
        let names = (["id", "body"] + columns.map(\.0)).joined(separator: ", ")
        let placeholders = Array(repeating: "?", count: columns.count + 2).joined(separator: ", ")
        try tx.execute(
            "INSERT INTO \(name) (\(names)) VALUES (\(placeholders))",
            parameters: [id, resource.protobufBytes()] + columns.map(\.1))
    }

    func update(_ id: String, _ resource: Resource, _ tx: any StoreWriting) throws {
        let columns = columns(resource)
        let assignments = (["body"] + columns.map(\.0)).map { "\($0) = ?" }.joined(separator: ", ")
        try tx.execute(
            "UPDATE \(name) SET \(assignments) WHERE id = ?",
            parameters: [resource.protobufBytes()] + columns.map(\.1) + [id])
    }

    @discardableResult
    func delete(_ id: String, _ tx: any StoreWriting) throws -> Bool {
        try tx.execute("DELETE FROM \(name) WHERE id = ?", id) > 0
    }

    func decode(_ row: Row, column: String = "body") throws -> Resource {
        let bytes: [UInt8] = try row[column]
        do {
            return try Resource(protobufBytes: bytes)
        } catch {
            throw RPCError(code: .dataLoss, message: "a stored \(kind) is unreadable")
        }
    }
}
