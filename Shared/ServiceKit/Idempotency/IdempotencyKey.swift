import Crypto
import ProtoRuntime
import RPCCore

/// What makes two create requests "the same": their `request_id`, and a digest of the method
/// and the body they carried.
public struct IdempotencyKey: Sendable, Hashable {
    /// Longer request ids are INVALID_ARGUMENT (a UUID is 36).
    public static let maxRequestIDLength = 128

    public let requestID: String
    public let method: String
    /// SHA-256 of the method name and the request body without its request id.
    public let bodyDigest: [UInt8]

    /// The key for a request, or nil when `requestID` is empty (the caller asked for no
    /// idempotency). `body` must be the request's bytes with the request id cleared, so a
    /// retry's bytes equal the original's.
    public static func make(requestID: String, method: String, body: [UInt8]) throws(RPCError) -> IdempotencyKey? {
        if requestID.isEmpty { return nil }
        guard requestID.utf8.count <= maxRequestIDLength else {
            throw RPCError(
                code: .invalidArgument,
                message: "request_id is \(requestID.utf8.count) bytes long; at most \(maxRequestIDLength) are allowed")
        }
        var hasher = SHA256()
        hasher.update(data: Array(method.utf8) + [0])
        hasher.update(data: body)
        return IdempotencyKey(requestID: requestID, method: method, bodyDigest: Array(hasher.finalize()))
    }

    /// The key for a protobuf request whose request id is the field at `requestIDField`.
    ///
    /// The body is the message's protobuf encoding with that field cleared. Generated messages
    /// encode deterministically (fields in number order, map entries sorted by key), so equal
    /// requests give equal bytes.
    public static func make<Request: ProtoMessage>(
        for request: Request, requestID requestIDField: WritableKeyPath<Request, String>, method: String
    ) throws(RPCError) -> IdempotencyKey? {
        var body = request
        body[keyPath: requestIDField] = ""
        return try make(requestID: request[keyPath: requestIDField], method: method, body: body.protobufBytes())
    }

    private init(requestID: String, method: String, bodyDigest: [UInt8]) {
        self.requestID = requestID
        self.method = method
        self.bodyDigest = bodyDigest
    }
}
