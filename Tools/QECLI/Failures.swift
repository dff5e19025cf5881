import Foundation
import RPCCore

/// A failed call, printed as `error: NOT_FOUND (5): customer CUS-… does not exist`.
public struct RPCFailure: Error, CustomStringConvertible {
    public let error: RPCError

    public init(_ error: RPCError) { self.error = error }

    /// The failure for an error thrown by a call, nil for errors that are not RPC statuses.
    public static func from(_ error: any Error) -> RPCFailure? {
        switch error {
        case let rpc as RPCError: RPCFailure(rpc)
        case let convertible as RPCErrorConvertible: RPCFailure(convertible.rpcError)
        default: nil
        }
    }

    public var description: String {
        "error: \(error.code.name) (\(error.code.rawValue)): \(error.message.isEmpty ? "(no message)" : error.message)"
    }
}

/// A command that could not do its job for a reason other than an RPC status (a missing
/// file, a mesh that is not running), with the exit status to end with.
public struct CommandFailure: Error {
    public let message: String
    public let exitStatus: Int32

    public init(_ message: String, exitStatus: Int32 = 1) {
        self.message = message
        self.exitStatus = exitStatus
    }
}
