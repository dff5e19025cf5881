import CustomerDomain
import RPCCore

/// What a failed call tells the caller. Domain rules and the store already know their status
/// (`RPCErrorConvertible`); anything else is our bug and is reported as INTERNAL without
/// details, never as a crash or a silently wrong answer.
enum RPCErrorMapping {
    static func status(for error: any Error) -> RPCError {
        switch error {
        case let error as RPCError: error
        case let error as any RPCErrorConvertible: error.rpcError
        case is CancellationError: RPCError(code: .cancelled, message: "call cancelled")
        default: RPCError(code: .internal, message: "internal error (\(type(of: error)))")
        }
    }
}
