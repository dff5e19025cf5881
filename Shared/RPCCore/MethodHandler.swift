import ProtoRuntime

/// A handler body, by call kind. Unary and server-streaming handlers get their single request
/// already decoded; streaming requests arrive as an `RPCAsyncSequence`.
public enum MethodBody<Request: ProtoMessage, Response: ProtoMessage>: Sendable {
    case unary(@Sendable (Request, ServerContext) async throws -> Response)
    case serverStreaming(@Sendable (Request, RPCWriter<Response>, ServerContext) async throws -> Void)
    case clientStreaming(@Sendable (RPCAsyncSequence<Request>, ServerContext) async throws -> Response)
    case bidiStreaming(@Sendable (RPCAsyncSequence<Request>, RPCWriter<Response>, ServerContext) async throws -> Void)
}

/// One entry of a server's method table: a descriptor and a typed body. The transport opens
/// the existential (`any RPCMethodHandler`) once per call, so decoding and encoding stay typed.
public protocol RPCMethodHandler: Sendable {
    associatedtype Request: ProtoMessage
    associatedtype Response: ProtoMessage
    var descriptor: MethodDescriptor { get }
    var body: MethodBody<Request, Response> { get }
}

/// The method-table entry generated code builds for each RPC.
public struct MethodHandler<Request: ProtoMessage, Response: ProtoMessage>: RPCMethodHandler {
    public let descriptor: MethodDescriptor
    public let body: MethodBody<Request, Response>

    public init(_ descriptor: MethodDescriptor, body: MethodBody<Request, Response>) {
        self.descriptor = descriptor
        self.body = body
    }

    public static func unary(
        _ descriptor: MethodDescriptor,
        _ handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) -> Self { Self(descriptor, body: .unary(handler)) }

    public static func serverStreaming(
        _ descriptor: MethodDescriptor,
        _ handler: @escaping @Sendable (Request, RPCWriter<Response>, ServerContext) async throws -> Void
    ) -> Self { Self(descriptor, body: .serverStreaming(handler)) }

    public static func clientStreaming(
        _ descriptor: MethodDescriptor,
        _ handler: @escaping @Sendable (RPCAsyncSequence<Request>, ServerContext) async throws -> Response
    ) -> Self { Self(descriptor, body: .clientStreaming(handler)) }

    public static func bidiStreaming(
        _ descriptor: MethodDescriptor,
        _ handler: @escaping @Sendable (RPCAsyncSequence<Request>, RPCWriter<Response>, ServerContext) async throws -> Void
    ) -> Self { Self(descriptor, body: .bidiStreaming(handler)) }
}

/// A service implementation ready to register with a server. Generated service protocols
/// refine this and provide `methodHandlers` in an extension, so an implementation only
/// writes its RPC methods.
public protocol RPCService: Sendable {
    /// The fully qualified proto service name (for health and reflection).
    var serviceName: String { get }
    var methodHandlers: [any RPCMethodHandler] { get }
}
