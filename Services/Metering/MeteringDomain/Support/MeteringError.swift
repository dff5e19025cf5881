import RPCCore

/// The statuses the metering rules throw. Domain code throws `RPCError` directly (the
/// architecture's contract for domain code), with messages that name the field or the id.
enum MeteringError {
    /// Bad input: `message` names the field.
    static func invalid(_ message: String) -> RPCError { RPCError(code: .invalidArgument, message: message) }

    /// The addressed resource does not exist, e.g. "meter point 'MTR-…' not found".
    static func notFound(_ kind: String, _ id: String) -> RPCError {
        RPCError(code: .notFound, message: "\(kind) '\(id)' not found")
    }

    /// Well-formed, but the stored state does not allow it.
    static func precondition(_ message: String) -> RPCError { RPCError(code: .failedPrecondition, message: message) }

    /// A stored row that cannot be decoded: corruption, never bad input.
    static func unreadable(_ kind: String) -> RPCError { RPCError(code: .dataLoss, message: "a stored \(kind) is unreadable") }
}
