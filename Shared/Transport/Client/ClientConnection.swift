import NIOCore
import NIOPosix
import RPCCore
import Synchronization

/// One established HTTP/2 connection to an endpoint, shared by many concurrent calls.
final class ClientConnection: Sendable {
    let channel: any Channel
    /// Identifies this connection in the events its handler reports.
    let token: ConnectionToken
    private let handler: NIOLoopBound<ClientConnectionHandler>
    private let available = Atomic<Bool>(true)

    /// The endpoint as `:authority`.
    let authority: String

    private init(channel: any Channel, token: ConnectionToken, authority: String, handler: NIOLoopBound<ClientConnectionHandler>) {
        self.channel = channel
        self.authority = authority
        self.token = token
        self.handler = handler
    }

    /// False once the server sent GOAWAY or the connection closed.
    var isAvailable: Bool { available.load(ordering: .relaxed) && channel.isActive }

    func markUnavailable() { available.store(false, ordering: .relaxed) }

    static func connect(
        to endpoint: Endpoint, authority: String? = nil, configuration: ChannelConfiguration,
        keepaliveInterval: KeepaliveInterval? = nil, connectTimeout: Duration,
        token: ConnectionToken,
        onGoingAway: @escaping @Sendable () -> Void, onClosed: @escaping @Sendable () -> Void
    ) async throws -> ClientConnection {
        var sessionSettings = HTTP2Session.Settings()
        sessionSettings.initialWindowSize = configuration.initialStreamWindowSize
        sessionSettings.connectionWindowSize = configuration.connectionWindowSize
        let settings = sessionSettings
        let keepalive = configuration.keepalive
        let interval = keepaliveInterval ?? keepalive.map { KeepaliveInterval($0.time) }
        let events = ClientConnectionEvents(goingAway: onGoingAway, closed: onClosed)
        let bootstrap = ClientBootstrap(group: configuration.eventLoopGroup)
            .connectTimeout(.nanoseconds(connectTimeout.nanoseconds))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ClientConnectionHandler(settings: settings, keepalive: keepalive, keepaliveInterval: interval, events: events))
                }
            }
        let channel = try await bootstrap.connect(host: endpoint.host, port: endpoint.port).get()
        let handler = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: ClientConnectionHandler.self), eventLoop: channel.eventLoop)
        }.get()
        return ClientConnection(
            channel: channel, token: token, authority: authority ?? endpoint.description, handler: handler)
    }

    /// A new call attempt on this connection.
    func makeStream(maxReceiveMessageSize: Int, deadline: Deadline) -> ClientStreamIO {
        ClientStreamIO(
            eventLoop: channel.eventLoop, connection: handler, maxReceiveMessageSize: maxReceiveMessageSize,
            deadline: deadline, allocator: channel.allocator)
    }

    func close() {
        markUnavailable()
        channel.close(promise: nil)
    }
}

/// Distinguishes one connection attempt's events from another's.
final class ConnectionToken: Sendable {}
