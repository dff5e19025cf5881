// Hand-written template of what the code generator emits for one proto service
// (see Shared/RPCCore/CODEGEN.md). The proto it stands for:
//
//   package echo;
//   service Echo {
//     rpc Unary(Msg) returns (Msg);
//     rpc ServerStream(Msg) returns (stream Msg);
//     rpc ClientStream(stream Msg) returns (Msg);
//     rpc Bidi(stream Msg) returns (stream Msg);
//   }
//
// with `Msg` mapped to `RawMessage` here (a generated message type in real code).
import RPCCore

/// Descriptors of `echo.Echo`'s methods.
public enum EchoMethods {
    public static let serviceName = "echo.Echo"
    public static let unary = MethodDescriptor(service: serviceName, method: "Unary", kind: .unary)
    public static let serverStream = MethodDescriptor(service: serviceName, method: "ServerStream", kind: .serverStreaming)
    public static let clientStream = MethodDescriptor(service: serviceName, method: "ClientStream", kind: .clientStreaming)
    public static let bidi = MethodDescriptor(service: serviceName, method: "Bidi", kind: .bidiStreaming)
    public static let all = [unary, serverStream, clientStream, bidi]
}

/// Implement this to serve `echo.Echo`; register the implementation with a server.
public protocol EchoHandler: RPCService {
    func unary(_ request: RawMessage, context: ServerContext) async throws -> RawMessage
    func serverStream(_ request: RawMessage, writer: RPCWriter<RawMessage>, context: ServerContext) async throws
    func clientStream(_ requests: RPCAsyncSequence<RawMessage>, context: ServerContext) async throws -> RawMessage
    func bidi(_ requests: RPCAsyncSequence<RawMessage>, writer: RPCWriter<RawMessage>, context: ServerContext) async throws
}

extension EchoHandler {
    public var serviceName: String { EchoMethods.serviceName }

    public var methodHandlers: [any RPCMethodHandler] {
        [
            MethodHandler<RawMessage, RawMessage>.unary(EchoMethods.unary) { request, context in
                try await self.unary(request, context: context)
            },
            MethodHandler<RawMessage, RawMessage>.serverStreaming(EchoMethods.serverStream) { request, writer, context in
                try await self.serverStream(request, writer: writer, context: context)
            },
            MethodHandler<RawMessage, RawMessage>.clientStreaming(EchoMethods.clientStream) { requests, context in
                try await self.clientStream(requests, context: context)
            },
            MethodHandler<RawMessage, RawMessage>.bidiStreaming(EchoMethods.bidi) { requests, writer, context in
                try await self.bidi(requests, writer: writer, context: context)
            },
        ]
    }
}

/// Typed client for `echo.Echo` over any channel.
public struct EchoClient: Sendable {
    public let channel: any RPCChannel

    public init(channel: any RPCChannel) { self.channel = channel }

    public func unary(_ request: RawMessage, options: CallOptions = CallOptions()) async throws -> RawMessage {
        try await channel.unary(EchoMethods.unary, request: request, options: options)
    }

    public func serverStream<Result: Sendable>(
        _ request: RawMessage, options: CallOptions = CallOptions(),
        onResponse: (StreamingClientResponse<RawMessage>) async throws -> Result
    ) async throws -> Result {
        try await channel.serverStreaming(EchoMethods.serverStream, request: request, options: options, onResponse: onResponse)
    }

    public func clientStream(
        options: CallOptions = CallOptions(),
        requests: @escaping @Sendable (RPCWriter<RawMessage>) async throws -> Void
    ) async throws -> RawMessage {
        try await channel.clientStreaming(EchoMethods.clientStream, options: options, requests: requests)
    }

    public func bidi<Result: Sendable>(
        options: CallOptions = CallOptions(),
        requests: @escaping @Sendable (RPCWriter<RawMessage>) async throws -> Void,
        onResponse: (StreamingClientResponse<RawMessage>) async throws -> Result
    ) async throws -> Result {
        try await channel.bidiStreaming(EchoMethods.bidi, options: options, requests: requests, onResponse: onResponse)
    }
}
