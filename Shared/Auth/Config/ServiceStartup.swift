import Logging
import ProtoRuntime
import RPCCore
import ServiceKit
import Transport

/// What every service process does at start, written once: resolve its flags and
/// environment, set up logging and metrics, resolve authentication, and finally run its
/// gRPC services under `ServiceRunner` until SIGTERM/SIGINT.
///
/// ```swift
/// let startup = try ServiceStartup(process: "asset-service", options: options, auth: auth, defaults: Self.defaults)
/// let store = try await startup.configuration.openStore(schema: AssetSchema.schema)
/// try await startup.run(services: [AssetServiceImpl(…)], descriptors: AssetAPIDescriptors.filesWithDependencies, store: store)
/// ```
public struct ServiceStartup: Sendable {
    public let configuration: ServiceConfiguration
    public let metrics: ServiceMetrics
    public let logger: Logger
    /// Authentication is on when a public key is configured (issue 11).
    public let authentication: AuthConfiguration

    /// - Parameter process: the executable's name, the label of its log lines.
    public init(process: String, options: ServiceOptions, auth: AuthOptions, defaults: ServiceDefaults) throws {
        configuration = try options.resolve(defaults: defaults)
        ServiceLogging.bootstrap(configuration: configuration)
        metrics = ServiceMetrics()
        metrics.bootstrapGlobalMetricsSystem()
        logger = Logger(label: process)
        authentication = try auth.resolve()
    }

    /// Channel settings for calls to other services: they carry this service's own token
    /// (`--auth-service-token-file`) when one is configured.
    public var peerChannelConfiguration: ChannelConfiguration {
        var channelConfiguration = ChannelConfiguration()
        channelConfiguration.interceptors = authentication.peerInterceptors
        return channelConfiguration
    }

    /// Serves until SIGTERM/SIGINT, then drains and closes the store.
    /// `adminAPI`: routes the service adds to its admin port (the gateway's JSON front).
    public func run(
        services: [any RPCService], descriptors: [ProtoFileDescriptor], store: (any Store)?, adminAPI: (any AdminAPI)? = nil
    ) async throws {
        let runner = ServiceRunner(
            configuration: configuration, services: services, descriptors: descriptors, store: store, logger: logger,
            metrics: metrics, interceptors: authentication.makeInterceptors(metricsFactory: metrics.factory, logger: logger),
            adminAPI: adminAPI)
        try await runner.run()
    }
}
