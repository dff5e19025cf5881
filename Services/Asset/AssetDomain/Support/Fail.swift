import RPCCore

/// The statuses the asset rules throw. The domain speaks gRPC statuses directly (RPCCore sits
/// below it), so the handler passes them through untouched and tests read the code as-is.
enum Fail {
    static func invalid(_ message: String) -> RPCError { RPCError(code: .invalidArgument, message: message) }

    static func notFound(_ kind: String, _ id: String) -> RPCError {
        RPCError(code: .notFound, message: "\(kind) '\(id)' not found")
    }

    static func precondition(_ message: String) -> RPCError { RPCError(code: .failedPrecondition, message: message) }
}
