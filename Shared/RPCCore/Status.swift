/// The outcome of a call as carried in `grpc-status` / `grpc-message`.
public struct Status: Sendable, Hashable, CustomStringConvertible {
    public var code: StatusCode
    public var message: String

    public init(code: StatusCode, message: String = "") {
        self.code = code
        self.message = message
    }

    public static let ok = Status(code: .ok)

    public var isOK: Bool { code == .ok }

    public var description: String { message.isEmpty ? code.name : "\(code.name): \(message)" }
}
