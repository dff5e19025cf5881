import ProtoRuntime

/// What a call sends: one request (unary, server-streaming) or a producer that writes many
/// (client-streaming, bidi) and returns to half-close the stream.
public enum RequestSource<Request: Sendable>: Sendable {
    case single(Request)
    case stream(@Sendable (RPCWriter<Request>) async throws -> Void)
}

/// The response side of a call as a client sees it.
public struct StreamingClientResponse<Message: Sendable>: Sendable {
    /// The response messages; a non-OK final status is thrown from the iterator as `RPCError`
    /// (with the trailers as its metadata).
    public let messages: RPCAsyncSequence<Message>
    private let headersProvider: @Sendable () async throws -> Metadata
    private let trailersProvider: @Sendable () async throws -> Metadata

    public init(
        messages: RPCAsyncSequence<Message>,
        headers: @escaping @Sendable () async throws -> Metadata,
        trailers: @escaping @Sendable () async throws -> Metadata
    ) {
        self.messages = messages
        self.headersProvider = headers
        self.trailersProvider = trailers
    }

    /// The response headers (initial metadata); waits for them. Empty for a Trailers-Only reply.
    public func headers() async throws -> Metadata { try await headersProvider() }

    /// The trailers (trailing metadata) of an OK call; waits for the end of the stream.
    /// Throws the call's `RPCError` if it failed.
    public func trailers() async throws -> Metadata { try await trailersProvider() }
}

/// A unary response with its metadata.
public struct ClientResponse<Message: Sendable>: Sendable {
    public var message: Message
    public var headers: Metadata
    public var trailers: Metadata
}

/// Something that can carry calls: the transport's client channel (and in-process fakes).
/// Generated clients wrap one of these.
public protocol RPCChannel: Sendable {
    /// The one primitive every call kind is built on. `handleResponse` runs in the calling task
    /// while requests are still being sent; when it returns the call is finished (a stream the
    /// caller stopped reading is cancelled).
    func call<Request: ProtoMessage, Response: ProtoMessage, Result: Sendable>(
        _ method: MethodDescriptor, request: RequestSource<Request>, responseType: Response.Type,
        options: CallOptions,
        handleResponse: (StreamingClientResponse<Response>) async throws -> Result
    ) async throws -> Result
}

extension RPCChannel {
    /// A unary call returning the response with its headers and trailers.
    public func unaryWithMetadata<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: MethodDescriptor, request: Request, responseType: Response.Type = Response.self,
        options: CallOptions = CallOptions()
    ) async throws -> ClientResponse<Response> {
        try await call(method, request: .single(request), responseType: Response.self, options: options) { response in
            let message = try await Self.single(from: response.messages, method: method)
            return ClientResponse(
                message: message, headers: try await response.headers(), trailers: try await response.trailers())
        }
    }

    /// A unary call.
    public func unary<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: MethodDescriptor, request: Request, responseType: Response.Type = Response.self,
        options: CallOptions = CallOptions()
    ) async throws -> Response {
        try await call(method, request: .single(request), responseType: Response.self, options: options) { response in
            try await Self.single(from: response.messages, method: method)
        }
    }

    /// A server-streaming call; `onResponse` reads the responses.
    public func serverStreaming<Request: ProtoMessage, Response: ProtoMessage, Result: Sendable>(
        _ method: MethodDescriptor, request: Request, responseType: Response.Type = Response.self,
        options: CallOptions = CallOptions(),
        onResponse: (StreamingClientResponse<Response>) async throws -> Result
    ) async throws -> Result {
        try await call(method, request: .single(request), responseType: Response.self, options: options, handleResponse: onResponse)
    }

    /// A client-streaming call; `requests` writes the requests and returns to end the stream.
    public func clientStreaming<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: MethodDescriptor, responseType: Response.Type = Response.self, options: CallOptions = CallOptions(),
        requests: @escaping @Sendable (RPCWriter<Request>) async throws -> Void
    ) async throws -> Response {
        try await call(method, request: .stream(requests), responseType: Response.self, options: options) { response in
            try await Self.single(from: response.messages, method: method)
        }
    }

    /// A bidirectional-streaming call: `requests` runs concurrently with `onResponse`.
    public func bidiStreaming<Request: ProtoMessage, Response: ProtoMessage, Result: Sendable>(
        _ method: MethodDescriptor, responseType: Response.Type = Response.self, options: CallOptions = CallOptions(),
        requests: @escaping @Sendable (RPCWriter<Request>) async throws -> Void,
        onResponse: (StreamingClientResponse<Response>) async throws -> Result
    ) async throws -> Result {
        try await call(method, request: .stream(requests), responseType: Response.self, options: options, handleResponse: onResponse)
    }

    /// Exactly one message, then a clean end; anything else is a protocol violation.
    private static func single<Message>(
        from messages: RPCAsyncSequence<Message>, method: MethodDescriptor
    ) async throws -> Message {
        var iterator = messages.makeAsyncIterator()
        guard let message = try await iterator.next() else {
            throw RPCError(code: .internal, message: "\(method.path): no response message")
        }
        if try await iterator.next() != nil {
            throw RPCError(code: .internal, message: "\(method.path): more than one response message")
        }
        return message
    }
}
