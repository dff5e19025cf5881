/// The four shapes of an RPC.
public enum MethodKind: Sendable, Hashable {
    case unary
    case clientStreaming
    case serverStreaming
    case bidiStreaming

    public var clientStreams: Bool { self == .clientStreaming || self == .bidiStreaming }
    public var serverStreams: Bool { self == .serverStreaming || self == .bidiStreaming }
}

/// Names one RPC: `/<package>.<Service>/<Method>` on the wire.
public struct MethodDescriptor: Sendable, Hashable, CustomStringConvertible {
    /// Fully qualified service name, e.g. `quantum.customer.v1.CustomerService`.
    public let service: String
    /// Method name as written in the proto, e.g. `GetCustomer`.
    public let method: String
    public let kind: MethodKind
    /// The HTTP/2 `:path`, e.g. `/quantum.customer.v1.CustomerService/GetCustomer`.
    public let path: String

    public init(service: String, method: String, kind: MethodKind) {
        self.service = service
        self.method = method
        self.kind = kind
        self.path = "/\(service)/\(method)"
    }

    public var description: String { path }
}
