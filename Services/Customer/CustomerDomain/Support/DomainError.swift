import RPCCore

/// A rule the request broke, with a message a person can act on (which field, which id, what
/// was expected). The handler turns it into a gRPC status through ``rpcError``.
public struct DomainError: Error, Sendable, Equatable, CustomStringConvertible, RPCErrorConvertible {
    public let code: StatusCode
    public let message: String

    public init(_ code: StatusCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.name): \(message)" }
    public var rpcError: RPCError { RPCError(code: code, message: message) }

    /// Bad input: `message` names the field.
    public static func invalid(_ message: String) -> DomainError { DomainError(.invalidArgument, message) }

    /// The addressed resource does not exist, e.g. "customer 'CUS-…' not found".
    public static func notFound(_ kind: String, _ id: String) -> DomainError {
        DomainError(.notFound, "\(kind) '\(id)' not found")
    }

    /// The request is well formed but the stored state does not allow it.
    public static func precondition(_ message: String) -> DomainError { DomainError(.failedPrecondition, message) }
}
