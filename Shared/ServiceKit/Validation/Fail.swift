import RPCCore

/// The statuses domain rules throw. Domains speak gRPC statuses directly (RPCCore sits below
/// them), so handlers pass them through untouched and tests read the code as-is. Each message
/// names the field, the id or the states involved.
public enum Fail {
    /// Bad input: `message` names the field.
    public static func invalid(_ message: String) -> RPCError { RPCError(code: .invalidArgument, message: message) }

    /// The addressed resource does not exist.
    public static func notFound(_ kind: String, _ id: String) -> RPCError {
        RPCError(code: .notFound, message: "\(kind) '\(id)' not found")
    }

    /// Well-formed input the stored state does not allow (e.g. an illegal status edge).
    public static func precondition(_ message: String) -> RPCError { RPCError(code: .failedPrecondition, message: message) }

    /// A different request already claimed the same key (period, request id, …).
    public static func alreadyExists(_ message: String) -> RPCError { RPCError(code: .alreadyExists, message: message) }
}
