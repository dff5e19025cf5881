/// A failed call: what handlers throw and what clients catch.
///
/// `metadata` travels as trailers (server → client) and holds the trailers a client received.
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: StatusCode
    public var message: String
    public var metadata: Metadata

    public init(code: StatusCode, message: String = "", metadata: Metadata = [:]) {
        self.code = code
        self.message = message
        self.metadata = metadata
    }

    public init(status: Status, metadata: Metadata = [:]) {
        self.init(code: status.code, message: status.message, metadata: metadata)
    }

    public var status: Status { Status(code: code, message: message) }

    public var description: String { message.isEmpty ? code.name : "\(code.name): \(message)" }
}

/// Errors that know which gRPC status they stand for (domain errors adopt this so they never
/// surface as UNKNOWN).
public protocol RPCErrorConvertible: Error {
    var rpcError: RPCError { get }
}

extension RPCError {
    /// Maps anything a handler or a call may throw onto a status: `RPCError` as is,
    /// `RPCErrorConvertible` through its mapping, cancellation → CANCELLED, the rest → UNKNOWN
    /// (with the error's type only, so internals do not leak to callers).
    public init(from error: any Error) {
        switch error {
        case let error as RPCError:
            self = error
        case let error as RPCErrorConvertible:
            self = error.rpcError
        case is CancellationError:
            self.init(code: .cancelled, message: "call cancelled")
        default:
            self.init(code: .unknown, message: "handler failed with \(type(of: error))")
        }
    }
}
