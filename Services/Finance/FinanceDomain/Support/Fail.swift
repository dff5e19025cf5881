import RPCCore

/// The statuses the finance rules throw. They are plain `RPCError`s (the handler passes them
/// through), each with a message that names the field, the id or both states.
enum Fail {
    /// Bad input: `message` names the field.
    static func invalid(_ message: String) -> RPCError { RPCError(code: .invalidArgument, message: message) }

    /// The addressed resource does not exist.
    static func notFound(_ kind: String, _ id: String) -> RPCError {
        RPCError(code: .notFound, message: "\(kind) '\(id)' not found")
    }

    /// Well-formed input the stored state does not allow (e.g. an illegal status edge).
    static func precondition(_ message: String) -> RPCError { RPCError(code: .failedPrecondition, message: message) }

    /// A different request already claimed the same key (period, request id, …).
    static func alreadyExists(_ message: String) -> RPCError { RPCError(code: .alreadyExists, message: message) }
}
