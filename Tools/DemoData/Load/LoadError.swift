import RPCCore

/// A failed step of the load: which phase, the gRPC status name and the message.
public struct LoadError: Error, CustomStringConvertible, Sendable {
    public let phase: String
    public let status: String
    public let message: String

    public init(phase: String, status: String, message: String) {
        self.phase = phase
        self.status = status
        self.message = message
    }

    init(phase: String, _ error: any Error) {
        if let error = error as? LoadError {
            self = error
        } else if let error = error as? RPCError {
            self.init(phase: phase, status: error.code.name, message: error.message)
        } else {
            self.init(phase: phase, status: StatusCode.unknown.name, message: "\(error)")
        }
    }

    /// The line the command prints before exiting 1.
    public var description: String { "demo-seed: \(phase): \(status) \(message)" }
}
