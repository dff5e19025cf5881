/// Per-call settings a client passes with each call.
public struct CallOptions: Sendable {
    /// When the call must finish. Sent as `grpc-timeout`. When a call is made from inside a
    /// server handler, the earlier of this and the handler's deadline is used.
    public var deadline: Deadline
    /// Custom request metadata (headers).
    public var metadata: Metadata
    /// Wait for a connection to become ready instead of failing fast with UNAVAILABLE.
    public var waitForReady: Bool
    /// Compression for request messages (`nil` = the channel's default).
    public var compression: CompressionAlgorithm?
    /// Largest response message accepted (`nil` = the channel's default, 4 MiB).
    public var maxReceiveMessageSize: Int?
    /// Whether the call may be retried under the channel's retry policy (idempotent methods).
    public var retryable: Bool

    public init(
        deadline: Deadline = .distantFuture, metadata: Metadata = [:], waitForReady: Bool = false,
        compression: CompressionAlgorithm? = nil, maxReceiveMessageSize: Int? = nil, retryable: Bool = false
    ) {
        self.deadline = deadline
        self.metadata = metadata
        self.waitForReady = waitForReady
        self.compression = compression
        self.maxReceiveMessageSize = maxReceiveMessageSize
        self.retryable = retryable
    }

    /// Options whose deadline is `timeout` from now.
    public static func timeout(_ timeout: Duration, metadata: Metadata = [:]) -> CallOptions {
        CallOptions(deadline: .after(timeout), metadata: metadata)
    }

    /// Sets the deadline to `timeout` from now.
    public var timeout: Duration? {
        get { deadline.remaining }
        set { deadline = newValue.map(Deadline.after) ?? .distantFuture }
    }
}
