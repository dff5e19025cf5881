import Foundation
import GRPCHealthV1
import Logging
import ProtoRuntime
import RPCCore
import StandardServices
import Synchronization
import Transport

/// Runs one service process: the gRPC server (the service's own services plus health and
/// reflection, with logging and metrics interceptors) and the admin HTTP port, until
/// SIGTERM / SIGINT; then drains and stops cleanly.
///
/// Shutdown, in order: every health status goes NOT_SERVING and `/readyz` answers 503 (load
/// balancers stop sending); the gRPC server stops accepting, sends GOAWAY and lets in-flight
/// calls finish for up to the grace period; the store closes (after the last write
/// committed); the admin port closes last. ``run()`` then returns, and `main` exits 0.
/// A second signal while draining exits at once with status 1.
///
/// ```swift
/// let runner = ServiceRunner(
///     configuration: configuration, services: [CustomerServiceImpl(store: store)],
///     descriptors: CustomerAPIDescriptors.filesWithDependencies, store: store, logger: logger)
/// try await runner.run()
/// ```
public final class ServiceRunner: Sendable {
    public enum Phase: Sendable, Equatable {
        case created, starting, serving, draining, stopped
    }

    public let configuration: ServiceConfiguration
    public let logger: Logger
    public let metrics: ServiceMetrics
    /// The health statuses the gRPC health service reports.
    public let health: HealthStatusRegistry
    public let server: GRPCServer
    public let admin: AdminServer
    private let store: (any Store)?
    private let phase = PhaseCell()
    private let shutdownRequests: AsyncStream<String>
    private let requestShutdownContinuation: AsyncStream<String>.Continuation

    /// - Parameters:
    ///   - services: the service's own gRPC services (health and reflection are added).
    ///   - descriptors: their proto files with dependencies, for reflection.
    ///   - store: closed during shutdown, after the gRPC server drained.
    ///   - interceptors: more server interceptors, run inside logging and metrics.
    ///   - readiness: an extra readiness condition (e.g. "caught up"); the runner already
    ///     requires that it is serving and that health says SERVING.
    public init(
        configuration: ServiceConfiguration, services: [any RPCService], descriptors: [ProtoFileDescriptor],
        store: (any Store)?, logger: Logger, metrics: ServiceMetrics = ServiceMetrics(),
        interceptors: [any ServerInterceptor] = [], readiness: (@Sendable () async -> Bool)? = nil,
        adminAPI: (any AdminAPI)? = nil
    ) {
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics
        self.store = store
        let standard = StandardServiceSet(serving: services, descriptors: descriptors)
        self.health = standard.health
        var serverConfiguration = ServerConfiguration(host: configuration.host, port: configuration.port)
        serverConfiguration.busyPollWindow = configuration.busyPollWindow
        serverConfiguration.interceptors =
            [RPCLoggingInterceptor(logger: logger), RPCMetricsInterceptor(metrics: metrics)] + interceptors
        self.server = GRPCServer(configuration: serverConfiguration, services: services + standard.services)
        (shutdownRequests, requestShutdownContinuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(1))

        let phase = self.phase, health = standard.health, server = self.server  // captured: the routes outlive init
        let routes = AdminRoutes(metrics: metrics, api: adminAPI, grpcPort: { server.port }) {
            guard phase.value == .serving, health.status(of: "") == .serving else { return false }
            return await readiness?() ?? true
        }
        self.admin = AdminServer(host: configuration.adminHost, port: configuration.adminPort, routes: routes)
    }

    public var currentPhase: Phase { phase.value }
    /// The bound gRPC port (after start).
    public var grpcPort: Int? { server.port }
    /// The bound admin port (after start).
    public var adminPort: Int? { admin.port }

    /// Binds the gRPC and admin ports and starts serving.
    public func start() async throws {
        phase.value = .starting
        do {
            try await server.start()
        } catch {
            phase.value = .stopped
            throw error
        }
        do {
            try await admin.start()
        } catch {
            await server.shutdown(gracePeriod: .zero)
            phase.value = .stopped
            throw error
        }
        phase.value = .serving
        logger.info(
            "serving",
            metadata: [
                "grpc": "\(configuration.host):\(server.port ?? configuration.port)",
                "admin": "\(configuration.adminHost):\(admin.port ?? configuration.adminPort)",
                // A service without a store (the gateway) has none to name.
                "store": "\(store == nil ? "none" : configuration.store.description)",
            ])
        if configuration.pageTokenSecretIsGenerated {
            logger.warning("no page token secret configured (QE_PAGE_TOKEN_SECRET): page tokens will not survive a restart")
        }
    }

    /// Starts, serves until a shutdown request (SIGTERM, SIGINT when `handleSignals`, or
    /// ``requestShutdown(reason:)``), then drains and stops.
    public func run(handleSignals: Bool = true) async throws {
        let signals = handleSignals
            ? SignalWatcher(signals: [SIGTERM, SIGINT]) { [weak self] number in self?.signalled(number) }
            : nil
        defer { signals?.stop() }
        try await start()
        var requests = shutdownRequests.makeAsyncIterator()
        let reason = await requests.next() ?? "shutdown stream ended"
        await drain(reason: reason)
    }

    /// Asks ``run(handleSignals:)`` to drain and stop.
    public func requestShutdown(reason: String = "requested") {
        requestShutdownContinuation.yield(reason)
    }

    private func signalled(_ number: Int32) {
        let name = SignalWatcher.name(of: number)
        if phase.value == .draining {
            logger.warning("second \(name) while draining: exiting now")
            exit(1)
        }
        requestShutdown(reason: name)
    }

    /// NOT_SERVING, GOAWAY and drain, close the store, close the admin port.
    public func drain(reason: String) async {
        let start = ContinuousClock.now
        phase.value = .draining
        logger.info("draining", metadata: ["reason": "\(reason)", "grace_seconds": "\(configuration.shutdownGracePeriod)"])
        health.setAll(.notServing)
        await server.shutdown(gracePeriod: configuration.shutdownGracePeriod)
        await store?.close()
        await admin.shutdown()
        phase.value = .stopped
        requestShutdownContinuation.finish()
        logger.info("stopped", metadata: ["drain_ms": "\(RPCCallLog.milliseconds(start.duration(to: .now)))"])
    }
}

/// The runner's phase, shared with the readiness check (a class: `Mutex` cannot be copied).
private final class PhaseCell: Sendable {
    private let state = Mutex(ServiceRunner.Phase.created)

    var value: ServiceRunner.Phase {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }
}
