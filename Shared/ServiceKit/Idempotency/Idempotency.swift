import Foundation
import ProtoRuntime
import RPCCore

/// `request_id` idempotency for creates, kept in the service's own store.
///
/// Use it inside the write transaction that does the create, so the check, the effect and
/// the remembered response commit together or not at all:
///
/// ```swift
/// let key = try IdempotencyKey.make(for: request, requestID: \.requestID, method: "CreateCustomer")
/// return try await store.write { tx in
///     try Idempotency.perform(tx, key: key) { try repository.insert(customer, tx) }
/// }
/// ```
///
/// Same request id + same body → the stored response, nothing written again. Same request id
/// + a different body (or method) → ALREADY_EXISTS. A create that fails remembers nothing, so
/// a retry is evaluated afresh. Writes are serialized, so racing duplicates cannot both pass
/// the check: the first commits, the others find its record.
public enum Idempotency {
    /// The table, for a service's migration list (any version number that fits the list).
    public static func migration(version: Int) -> Migration {
        Migration(
            version: version, name: "idempotency_records",
            sql: """
                CREATE TABLE idempotency_records (
                    request_id TEXT PRIMARY KEY,
                    method TEXT NOT NULL,
                    body_digest BLOB NOT NULL,
                    response BLOB NOT NULL,
                    created_at_ms INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX idempotency_records_by_age ON idempotency_records (created_at_ms);
                """)
    }

    /// Runs `create` unless `key` was seen before; returns its response bytes either way.
    /// With a nil key (no request id) it just runs `create`.
    public static func perform(
        _ tx: any StoreWriting, key: IdempotencyKey?, create: () throws -> [UInt8]
    ) throws -> [UInt8] {
        guard let key else { return try create() }
        if let row = try tx.queryOne(
            "SELECT method, body_digest, response FROM idempotency_records WHERE request_id = ?", key.requestID)
        {
            let method: String = try row["method"]
            let digest: [UInt8] = try row["body_digest"]
            guard method == key.method, digest == key.bodyDigest else {
                throw RPCError(
                    code: .alreadyExists,
                    message: "request_id '\(key.requestID)' was already used for a different \(method) request; "
                        + "use a new request_id for a different request")
            }
            return try row["response"]
        }
        let response = try create()
        try tx.execute(
            "INSERT INTO idempotency_records (request_id, method, body_digest, response, created_at_ms) VALUES (?, ?, ?, ?, ?)",
            key.requestID, key.method, key.bodyDigest, response, Int64(Date().timeIntervalSince1970 * 1000))
        return response
    }

    /// The typed form: stores the response's protobuf bytes and decodes them on a replay.
    public static func perform<Response: ProtoMessage>(
        _ tx: any StoreWriting, key: IdempotencyKey?, create: () throws -> Response
    ) throws -> Response {
        guard let key else { return try create() }
        var created: Response?
        let bytes = try perform(tx, key: key) {
            let response = try create()
            created = response
            return response.protobufBytes()
        }
        if let created { return created }
        do {
            return try Response(protobufBytes: bytes)
        } catch {
            throw RPCError(code: .internal, message: "the stored response for request_id '\(key.requestID)' is unreadable")
        }
    }

    /// Forgets records older than `cutoff` (a retry after that creates again); returns how
    /// many went. Run it now and then, e.g. daily with a cutoff of a few days.
    @discardableResult
    public static func purge(_ tx: any StoreWriting, olderThan cutoff: Date) throws -> Int {
        try tx.execute(
            "DELETE FROM idempotency_records WHERE created_at_ms < ?", Int64(cutoff.timeIntervalSince1970 * 1000))
    }
}
