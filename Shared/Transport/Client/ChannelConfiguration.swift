import NIOCore
import NIOPosix
import RPCCore

/// One server address a channel may connect to.
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`, `[v6]:port`.
    public init?(_ text: some StringProtocol) {
        let text = String(text)
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()) else { return nil }
            self.init(host: host, port: port)
        } else {
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else { return nil }
            self.init(host: String(text[..<colon]), port: port)
        }
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// How a channel spreads calls over its endpoints.
public enum LoadBalancingPolicy: Sendable, Hashable {
    /// Use the first endpoint that connects; move on only when it fails.
    case pickFirst
    /// Rotate calls over every endpoint that is reachable.
    case roundRobin
}

/// gRPC connection backoff (doc/connection-backoff.md).
public struct ConnectionBackoff: Sendable, Hashable {
    public var initialBackoff: Duration = .seconds(1)
    public var multiplier: Double = 1.6
    public var jitter: Double = 0.2
    public var maxBackoff: Duration = .seconds(120)
    public var minConnectTimeout: Duration = .seconds(20)

    public init() {}
}

/// Client keepalive: PING when the connection was quiet for `time`, close if no ack in `timeout`.
public struct ClientKeepalive: Sendable, Hashable {
    public var time: Duration
    public var timeout: Duration = .seconds(20)
    /// Also ping while no call is active (servers may count that as abuse).
    public var permitWithoutCalls = false

    public init(time: Duration, timeout: Duration = .seconds(20), permitWithoutCalls: Bool = false) {
        self.time = time
        self.timeout = timeout
        self.permitWithoutCalls = permitWithoutCalls
    }
}

/// gRPC retry policy (gRFC A6) for calls marked `CallOptions.retryable`.
public struct RetryPolicy: Sendable, Hashable {
    public var maxAttempts = 3
    public var initialBackoff: Duration = .milliseconds(100)
    public var maxBackoff: Duration = .seconds(5)
    public var backoffMultiplier: Double = 2
    public var retryableStatusCodes: Set<StatusCode> = [.unavailable]

    public init(maxAttempts: Int = 3, initialBackoff: Duration = .milliseconds(100), maxBackoff: Duration = .seconds(5),
                backoffMultiplier: Double = 2, retryableStatusCodes: Set<StatusCode> = [.unavailable]) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.backoffMultiplier = backoffMultiplier
        self.retryableStatusCodes = retryableStatusCodes
    }
}

/// The retry budget shared by a channel's calls (gRFC A6 retryThrottling).
public struct RetryThrottling: Sendable, Hashable {
    public var maxTokens: Double = 10
    public var tokenRatio: Double = 0.1

    public init(maxTokens: Double = 10, tokenRatio: Double = 0.1) {
        self.maxTokens = maxTokens
        self.tokenRatio = tokenRatio
    }
}

/// How a client channel connects and calls.
public struct ChannelConfiguration: Sendable {
    public var loadBalancing = LoadBalancingPolicy.pickFirst
    public var backoff = ConnectionBackoff()
    public var keepalive: ClientKeepalive? = nil
    public var retryPolicy: RetryPolicy? = RetryPolicy()
    public var retryThrottling: RetryThrottling? = RetryThrottling()
    /// How many times a call refused before the server saw it (REFUSED_STREAM, GOAWAY) is
    /// transparently retried.
    public var maxTransparentRetries = 5
    /// Request bytes a client- or bidi-streaming call remembers so that a retry can replay
    /// them (gRFC A6 per-call buffer); a call that sends more is committed to its current
    /// attempt and no longer retried.
    public var retryBufferSize = 256 << 10
    /// Largest response message accepted (default 4 MiB); `CallOptions` may override.
    public var maxReceiveMessageSize: Int = 4 << 20
    public var maxSendMessageSize: Int = .max
    /// Request compression when a call does not say (`nil` = identity).
    public var defaultCompression: CompressionAlgorithm? = nil
    public var interceptors: [any ClientInterceptor] = []
    /// Per-stream and connection receive windows.
    public var initialStreamWindowSize: UInt32 = 1 << 20
    public var connectionWindowSize: Int32 = 16 << 20
    /// `:authority`; defaults to the endpoint's host:port.
    public var authority: String? = nil
    public var eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton

    public init() {}
}
