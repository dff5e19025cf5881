import NIOCore
import ProtoRuntime
import RPCCore

/// Runs one call's handler in its own task: decodes the request(s), runs the interceptors and
/// the handler, and reports the outcome to the connection.
enum ServerCallRunner {
    static func run<Handler: RPCMethodHandler>(
        _ handler: Handler, io: ServerCallIO, context: ServerContext, request: FramedMessage?,
        interceptors: [any ServerInterceptor]
    ) async {
        var lastMessage: ByteBuffer?
        do {
            try await ServerContext.$current.withValue(context) {
                try await intercept(interceptors[...], context: context) {
                    lastMessage = try await runBody(handler.body, io: io, context: context, request: request)
                }
            }
            io.finish(lastMessage: lastMessage, status: .ok, context: context)
        } catch {
            let rpcError = context.isCancelled && !(error is RPCError)
                ? RPCError(code: .cancelled, message: "call cancelled")
                : RPCError(from: error)
            io.finish(lastMessage: nil, status: rpcError.status, context: context, extraTrailers: rpcError.metadata)
        }
    }

    /// Runs the handler; returns the encoded single response of unary and client-streaming
    /// calls (sent together with the trailers, in one hop).
    private static func runBody<Request, Response>(
        _ body: MethodBody<Request, Response>, io: ServerCallIO, context: ServerContext, request: FramedMessage?
    ) async throws -> ByteBuffer? {
        switch body {
        case .unary(let handle):
            let request: Request = try io.decode(request!, context: context)
            return try io.encode(try await handle(request, context), context: context)
        case .serverStreaming(let handle):
            let request: Request = try io.decode(request!, context: context)
            try await handle(request, writer(io: io, context: context), context)
            return nil
        case .clientStreaming(let handle):
            return try io.encode(try await handle(io.requests(of: Request.self, context: context), context), context: context)
        case .bidiStreaming(let handle):
            try await handle(io.requests(of: Request.self, context: context), writer(io: io, context: context), context)
            return nil
        }
    }

    private static func writer<Response: ProtoMessage>(io: ServerCallIO, context: ServerContext) -> RPCWriter<Response> {
        RPCWriter { message in
            try await io.send(try io.encode(message, context: context), context: context)
        }
    }

    private static func intercept(
        _ interceptors: ArraySlice<any ServerInterceptor>, context: ServerContext,
        body: () async throws -> Void
    ) async throws {
        guard let first = interceptors.first else { return try await body() }
        try await first.intercept(context: context) {
            try await intercept(interceptors.dropFirst(), context: context, body: body)
        }
    }
}
