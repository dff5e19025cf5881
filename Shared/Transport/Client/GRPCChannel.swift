import NIOCore
import ProtoRuntime
import RPCCore

/// A client channel to one or several endpoints: connects lazily, multiplexes calls over
/// HTTP/2 connections, balances across endpoints, reconnects with backoff and retries.
///
/// ```swift
/// let channel = try GRPCChannel(target: "127.0.0.1:50051")
/// let client = CustomerServiceClient(channel: channel)
/// let customer = try await client.getCustomer(request, options: .timeout(.seconds(2)))
/// ```
public final class GRPCChannel: RPCChannel {
    public let endpoints: [Endpoint]
    public let configuration: ChannelConfiguration
    private let balancer: LoadBalancer
    private let throttle: RetryThrottle?
    /// Shared by the channel's connections; grows when servers complain about our PINGs.
    let keepaliveInterval: KeepaliveInterval?

    /// Each endpoint's name is resolved now; every address it has gets its own subchannel
    /// (calls still carry the name as `:authority`).
    public convenience init(endpoints: [Endpoint], configuration: ChannelConfiguration = ChannelConfiguration()) {
        self.init(endpoints: endpoints, configuration: configuration, resolver: .system)
    }

    init(endpoints: [Endpoint], configuration: ChannelConfiguration, resolver: NameResolver) {
        self.endpoints = endpoints
        self.configuration = configuration
        let keepaliveInterval = configuration.keepalive.map { KeepaliveInterval($0.time) }
        self.keepaliveInterval = keepaliveInterval
        var subchannels: [Subchannel] = []
        var seen = Set<Endpoint>()
        for endpoint in endpoints {
            for address in resolver.resolve(endpoint) where seen.insert(address).inserted {
                subchannels.append(Subchannel(
                    endpoint: address, authority: endpoint.description, configuration: configuration,
                    keepaliveInterval: keepaliveInterval))
            }
        }
        self.balancer = LoadBalancer(subchannels: subchannels, policy: configuration.loadBalancing)
        self.throttle = configuration.retryThrottling.map(RetryThrottle.init)
    }

    /// `target` is `host:port` or a comma-separated list of them; a name with several
    /// addresses counts as several endpoints.
    public convenience init(target: String, configuration: ChannelConfiguration = ChannelConfiguration()) throws {
        try self.init(target: target, configuration: configuration, resolver: .system)
    }

    convenience init(target: String, configuration: ChannelConfiguration, resolver: NameResolver) throws {
        let endpoints = target.split(separator: ",").compactMap { Endpoint($0.trimmingCharacters(in: " ")) }
        guard !endpoints.isEmpty else {
            throw RPCError(code: .invalidArgument, message: "bad target '\(target)': expected host:port[,host:port…]")
        }
        self.init(endpoints: endpoints, configuration: configuration, resolver: resolver)
    }

    /// Closes every connection; calls in flight fail with UNAVAILABLE.
    public func close() {
        balancer.shutdown()
    }

    public func call<Request: ProtoMessage, Response: ProtoMessage, Result: Sendable>(
        _ method: MethodDescriptor, request: RequestSource<Request>, responseType: Response.Type,
        options: CallOptions,
        handleResponse: (StreamingClientResponse<Response>) async throws -> Result
    ) async throws -> Result {
        var options = options
        if let server = ServerContext.current { Self.propagate(from: server, into: &options) }
        do {
            return try await intercept(configuration.interceptors[...], method: method, options: options) { options in
                let runner = ClientCallRunner<Request, Response>(
                    method: method, options: options, configuration: configuration, balancer: balancer, throttle: throttle)
                return try await runner.run(request, handleResponse: handleResponse)
            }
        } catch is CancellationError {
            // The caller's task was cancelled (wherever it surfaced first, e.g. in a request
            // producer): the call ended as CANCELLED, which is what callers match on.
            throw RPCError(code: .cancelled, message: "\(method.path): cancelled by the client")
        }
    }

    private func intercept<Result: Sendable>(
        _ interceptors: ArraySlice<any ClientInterceptor>, method: MethodDescriptor, options: CallOptions,
        body: (CallOptions) async throws -> Result
    ) async throws -> Result {
        guard let first = interceptors.first else { return try await body(options) }
        return try await first.intercept(method: method, options: options) { options in
            try await intercept(interceptors.dropFirst(), method: method, options: options, body: body)
        }
    }

    /// A call made while serving a call inherits its deadline and tracing identifiers.
    private static func propagate(from server: ServerContext, into options: inout CallOptions) {
        options.deadline = options.deadline.earliest(server.deadline)
        for key in ["x-request-id", "traceparent", "tracestate"] where !options.metadata.contains(key) {
            for value in server.requestMetadata[stringValues: key] { options.metadata.add(key, value) }
        }
    }
}
