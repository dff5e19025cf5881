import NIOCore
import NIOPosix
import RPCCore
import Synchronization

/// A gRPC server: listens on TCP (h2c with prior knowledge) and serves the registered services.
///
/// ```swift
/// let server = GRPCServer(configuration: .init(host: "0.0.0.0", port: 50051), services: [MyService()])
/// try await server.start()
/// ...
/// await server.shutdown(gracePeriod: .seconds(10))
/// ```
public final class GRPCServer: Sendable {
    public let configuration: ServerConfiguration
    private let router: MethodRouter

    private struct State {
        var listener: (any Channel)?
        var connections: [ObjectIdentifier: any Channel] = [:]
        var isShuttingDown = false
    }

    private let state = Mutex(State())

    public init(configuration: ServerConfiguration = ServerConfiguration(), services: [any RPCService]) {
        self.configuration = configuration
        self.router = MethodRouter(services: services)
    }

    /// Names of the registered services.
    public var serviceNames: [String] { router.serviceNames }

    /// Binds and starts accepting connections.
    public func start() async throws {
        let router = self.router, configuration = self.configuration
        let bootstrap = ServerBootstrap(group: configuration.eventLoopGroup)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { [weak self] channel in
                guard let self, self.track(channel) else {
                    return channel.close()
                }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ServerConnectionHandler(router: router, configuration: configuration))
                }
            }
        let listener = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
        state.withLock { $0.listener = listener }
    }

    /// The bound port (after `start`).
    public var port: Int? {
        state.withLock { $0.listener?.localAddress?.port }
    }

    /// Starts (if needed) and waits until the server has shut down.
    public func run() async throws {
        if state.withLock({ $0.listener == nil }) { try await start() }
        try await state.withLock { $0.listener }?.closeFuture.get()
    }

    /// Stops accepting connections, sends GOAWAY on every connection, lets in-flight calls
    /// finish for up to `gracePeriod`, then closes whatever is left.
    public func shutdown(gracePeriod: Duration = .seconds(10)) async {
        let (listener, connections) = state.withLock { state in
            state.isShuttingDown = true
            return (state.listener, Array(state.connections.values))
        }
        try? await listener?.close()
        for connection in connections {
            connection.pipeline.fireUserInboundEventTriggered(GracefulShutdownEvent(gracePeriod: gracePeriod))
        }
        for connection in connections {
            try? await connection.closeFuture.get()
        }
    }

    /// Registers a new connection; false once shutting down.
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
