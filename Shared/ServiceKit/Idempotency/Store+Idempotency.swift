import ProtoRuntime

extension Store {
    /// Runs `create` in one write transaction under the request's `request_id` idempotency
    /// (`Idempotency.perform`): a replay returns the first response and writes nothing; a
    /// different body under the same id is ALREADY_EXISTS; an empty id just runs `create`.
    /// Writes are serial, so identical requests that race still take effect once.
    public func idempotentWrite<Request: ProtoMessage, Response: ProtoMessage>(
        _ request: Request, requestID: WritableKeyPath<Request, String>, method: String,
        _ create: @escaping @Sendable (any StoreWriting) throws -> Response
    ) async throws -> Response {
        let key = try IdempotencyKey.make(for: request, requestID: requestID, method: method)
        return try await write { tx in try Idempotency.perform(tx, key: key) { try create(tx) } }
    }
}
