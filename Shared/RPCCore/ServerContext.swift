import Synchronization

/// What a handler knows about the call it serves, and how it shapes the response's metadata.
///
/// Made by the transport for every call. Response headers may be changed until the first
/// response message is written; trailers until the handler returns.
public final class ServerContext: Sendable {
    public let method: MethodDescriptor
    /// Custom request metadata (reserved `grpc-*` and HTTP/2 headers removed).
    public let requestMetadata: Metadata
    /// When the caller stops waiting (from `grpc-timeout`); `.distantFuture` when none was sent.
    public let deadline: Deadline
    /// The remote address, e.g. `ipv4:127.0.0.1:53211`.
    public let peer: String

    private struct ResponseMetadata {
        var headers: Metadata = [:]
        var trailers: Metadata = [:]
        var headersSent = false
    }

    private let response = Mutex(ResponseMetadata())
    private let cancelled = Atomic<Bool>(false)
    private let lastRequestCompressed = Atomic<Bool>(false)
    private let compressResponses = Atomic<Bool>(true)

    package init(method: MethodDescriptor, requestMetadata: Metadata, deadline: Deadline, peer: String) {
        self.method = method
        self.requestMetadata = requestMetadata
        self.deadline = deadline
        self.peer = peer
    }

    /// A context for tests and in-process calls.
    public static func forTesting(
        method: MethodDescriptor, metadata: Metadata = [:], deadline: Deadline = .distantFuture
    ) -> ServerContext {
        ServerContext(method: method, requestMetadata: metadata, deadline: deadline, peer: "in-process")
    }

    /// True once the client cancelled, the deadline passed or the server is closing the call.
    /// (The handler's task is cancelled at the same moment, so `Task.isCancelled` agrees.)
    public var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    /// Adds a response header. Ignored (returns false) once the headers have been sent.
    @discardableResult
    public func addResponseHeader(_ key: String, _ value: String) -> Bool {
        response.withLock { state in
            guard !state.headersSent else { return false }
            state.headers.add(key, value)
            return true
        }
    }

    /// Adds a binary (`-bin`) response header. Ignored (returns false) once headers were sent.
    @discardableResult
    public func addResponseHeader(_ key: String, binary value: [UInt8]) -> Bool {
        response.withLock { state in
            guard !state.headersSent else { return false }
            state.headers.add(key, binary: value)
            return true
        }
    }

    /// Adds a trailer sent with the final status (also on errors).
    public func addTrailer(_ key: String, _ value: String) {
        response.withLock { $0.trailers.add(key, value) }
    }

    /// Adds a binary (`-bin`) trailer.
    public func addTrailer(_ key: String, binary value: [UInt8]) {
        response.withLock { $0.trailers.add(key, binary: value) }
    }

    /// Whether the request message the handler received last arrived compressed (its gRPC
    /// frame's compressed flag). For unary calls: the request.
    public var lastRequestMessageWasCompressed: Bool { lastRequestCompressed.load(ordering: .relaxed) }

    package func recordRequestMessage(compressed: Bool) {
        lastRequestCompressed.store(compressed, ordering: .relaxed)
    }

    /// Whether response messages written from now on are compressed, when the call negotiated
    /// a response encoding (the server's configured compression, accepted by the client).
    /// On by default; turn it off for a message that must go out plain, or is not worth it.
    public var compressesResponses: Bool {
        get { compressResponses.load(ordering: .relaxed) }
        set { compressResponses.store(newValue, ordering: .relaxed) }
    }

    /// The transport takes the headers when it sends them; later additions are refused.
    package func takeResponseHeaders() -> Metadata {
        response.withLock { state in
            state.headersSent = true
            return state.headers
        }
    }

    package func takeTrailers() -> Metadata {
        response.withLock { state in
            defer { state.trailers = [:] }
            return state.trailers
        }
    }

    package func markCancelled() { cancelled.store(true, ordering: .relaxed) }

    /// The context of the handler the current task serves; client calls made inside a handler
    /// inherit its deadline and tracing metadata from here.
    @TaskLocal public static var current: ServerContext?
}
