import NIOCore
import NIOPosix
import RPCCore

/// How a server listens and what it allows.
public struct ServerConfiguration: Sendable {
    /// Address to bind: "0.0.0.0", "::" (IPv6 and IPv4), "127.0.0.1", "::1"…
    public var host: String
    /// Port to bind; 0 picks a free one (read it back from `GRPCServer.port`).
    public var port: Int
    /// Largest request message accepted (after decompression); default 4 MiB.
    public var maxReceiveMessageSize: Int = 4 << 20
    /// Largest response message sent.
    public var maxSendMessageSize: Int = .max
    /// SETTINGS_MAX_CONCURRENT_STREAMS advertised to each client.
    public var maxConcurrentStreams: UInt32 = 1000
    /// Per-stream receive window (SETTINGS_INITIAL_WINDOW_SIZE).
    public var initialStreamWindowSize: UInt32 = 1 << 20
    /// Connection receive window.
    public var connectionWindowSize: Int32 = 16 << 20
    /// Largest request header list accepted (SETTINGS_MAX_HEADER_LIST_SIZE); default 8 KiB.
    public var maxHeaderListSize: Int = 8 << 10
    /// Incoming RST_STREAM token bucket (Rapid Reset): burst and tokens per second; past it,
    /// GOAWAY ENHANCE_YOUR_CALM "too_many_resets" (see StreamResetLimiter).
    public var streamResetRateLimit: (burst: UInt64, rate: UInt64) = (1000, 33)
    /// Run around every call, first to last.
    public var interceptors: [any ServerInterceptor] = []
    /// Response compression used when the client accepts it (`nil` = never compress).
    public var responseCompression: CompressionAlgorithm? = nil
    /// Keepalive and connection lifetime policy.
    public var connectionPolicy = ServerConnectionPolicy()
    /// Event loops serving connections (default: NIO's shared singleton group).
    public var eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    /// Run handlers on their connection's event loop (no hop to the concurrency pool and back
    /// per call); false runs them on the global concurrent executor, for handlers that do
    /// long CPU work between awaits. See `EventLoopTaskExecutor`.
    public var runsHandlersOnEventLoop = true
    /// After a connection writes, its event loop keeps polling without sleeping for this long
    /// (`nil`, the default, = never): trades CPU for latency where waking an idle CPU is slow
    /// (VMs whose idle vCPUs halt). The loop spins for up to this long after every write that
    /// no new request follows. See `BusyPoller`.
    public var busyPollWindow: Duration? = nil

    public init(host: String = "0.0.0.0", port: Int = 0) {
        self.host = host
        self.port = port
    }
}

/// Keepalive, ping abuse and connection age limits (gRPC's server keepalive options).
public struct ServerConnectionPolicy: Sendable {
    /// Send a PING when the connection was quiet this long (`nil` = never).
    public var keepaliveTime: Duration? = .seconds(7200)
    /// Close the connection if a keepalive PING is not acknowledged within this time.
    public var keepaliveTimeout: Duration = .seconds(20)
    /// Smallest interval between client PINGs we tolerate; faster ones are strikes.
    public var minPingInterval: Duration = .seconds(300)
    /// Whether client PINGs are allowed while no call is active.
    public var permitPingWithoutCalls = false
    /// Strikes before GOAWAY ENHANCE_YOUR_CALM "too_many_pings".
    public var maxPingStrikes = 2
    /// Close connections with no active call for this long (`nil` = never).
    public var maxConnectionIdle: Duration? = nil
    /// Gracefully close connections this old (±10 % jitter) (`nil` = never).
    public var maxConnectionAge: Duration? = nil
    /// How long calls may run after the max-age GOAWAY.
    public var maxConnectionAgeGrace: Duration = .seconds(30)
    /// Slowloris defence: a new connection must deliver its preface and SETTINGS within this
    /// time, or it is closed (GOAWAY ENHANCE_YOUR_CALM "handshake_timeout"). `nil` = no limit.
    public var handshakeTimeout: Duration? = .seconds(20)
    /// Slowloris defence: a request HEADERS block, once started, must end (END_HEADERS) within
    /// this time. nghttp2 accepts no other frame while a block is open, so a peer that stalls
    /// mid-block has wedged the whole connection: it is closed (GOAWAY ENHANCE_YOUR_CALM
    /// "header_timeout"). `nil` = no limit.
    public var headerBlockTimeout: Duration? = .seconds(10)

    public init() {}
}
