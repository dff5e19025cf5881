import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The admin HTTP/1.1 port: `/metrics`, `/healthz`, `/readyz` (see ``AdminRoutes``).
/// Kept off the gRPC port so scrapers and orchestrator probes never compete with traffic
/// and can stay reachable while the gRPC side drains.
public final class AdminServer: Sendable {
    public let host: String
    public let requestedPort: Int
    private let routes: AdminRoutes
    private let group: any EventLoopGroup

    private struct State {
        var listener: (any Channel)?
        var connections: [ObjectIdentifier: any Channel] = [:]
        var isShuttingDown = false
    }

    private let state = Mutex(State())

    public init(
        host: String, port: Int, routes: AdminRoutes,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.host = host
        self.requestedPort = port
        self.routes = routes
        self.group = eventLoopGroup
    }

    /// Binds and starts answering.
    public func start() async throws {
        let routes = self.routes
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [weak self] channel in
                guard let self, self.track(channel) else { return channel.close() }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(AdminHTTPHandler(routes: routes))
                }
            }
        let listener = try await bootstrap.bind(host: host, port: requestedPort).get()
        state.withLock { $0.listener = listener }
    }

    /// The bound port (after ``start()``).
    public var port: Int? { state.withLock { $0.listener?.localAddress?.port } }

    /// Stops listening and closes every connection.
    public func shutdown() async {
        let (listener, connections) = state.withLock { state in
            state.isShuttingDown = true
            return (state.listener, Array(state.connections.values))
        }
        try? await listener?.close()
        for connection in connections { try? await connection.close() }
    }

    private func track(_ channel: any Channel) -> Bool {
        let id = ObjectIdentifier(channel)
        let accepted = state.withLock { state in
            guard !state.isShuttingDown else { return false }
            state.connections[id] = channel
            return true
        }
        if accepted {
            channel.closeFuture.whenComplete { [weak self] _ in
                _ = self?.state.withLock { $0.connections.removeValue(forKey: id) }
            }
        }
        return accepted
    }
}
