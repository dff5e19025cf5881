import RPCCore

/// What a failed call tells the caller, the same in every service's handler: statuses pass
/// through, errors that know their status (`RPCErrorConvertible`, e.g. the store's) map
/// themselves, cancellation is CANCELLED, and anything else is our bug — INTERNAL without
/// details, never a crash or a silently wrong answer. (`RPCError(from:)` in RPCCore says
/// UNKNOWN for the last case; a service's own handler knows it is INTERNAL.)
public enum HandlerStatus {
    public static func status(for error: any Error) -> RPCError {
        switch error {
        case let error as RPCError: error
        case let error as any RPCErrorConvertible: error.rpcError
        case is CancellationError: RPCError(code: .cancelled, message: "call cancelled")
        default: RPCError(code: .internal, message: "internal error (\(type(of: error)))")
        }
    }

    /// Runs one call's work with that mapping.
    public static func run<Response>(_ body: () async throws -> Response) async throws(RPCError) -> Response {
        do {
            return try await body()
        } catch {
            throw status(for: error)
        }
    }
}
