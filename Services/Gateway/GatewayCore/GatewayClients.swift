import AssetAPI
import CustomerAPI
import FinanceAPI
import MeteringAPI
import NIOCore
import NIOPosix
import OutageAPI
import RPCCore
import Transport

/// Long-lived, multiplexed channels to the downstream services, and the typed clients over
/// them. Several endpoints of one service are used round robin; a restarted downstream is
/// reconnected after at most `maxReconnectBackoff`, without restarting the gateway.
///
/// One set of channels per event loop of `eventLoopGroup` (the group the gateway's server runs
/// on): a gateway handler runs on its connection's loop, and calling downstream over a
/// connection of that same loop keeps the request, the reply and the resumed handler on one
/// thread, instead of two cross-thread wake-ups per downstream call (the overview makes several).
public final class GatewayClients: Sendable {
    /// The typed clients over one set of channels (one channel per downstream service).
    public struct LoopClients: Sendable {
        public let customer: CustomerServiceClient
        public let metering: MeteringServiceClient
        public let asset: AssetServiceClient
        public let outage: OutageServiceClient
        public let finance: FinanceServiceClient
        let channels: [DownstreamService: GRPCChannel]

        init(channels: [DownstreamService: GRPCChannel]) {
            self.channels = channels
            customer = CustomerServiceClient(channel: channels[.customer]!)
            metering = MeteringServiceClient(channel: channels[.metering]!)
            asset = AssetServiceClient(channel: channels[.asset]!)
            outage = OutageServiceClient(channel: channels[.outage]!)
            finance = FinanceServiceClient(channel: channels[.finance]!)
        }
    }

    /// By event loop; the first one also serves callers that are on no loop of the group.
    private let sets: [ObjectIdentifier: LoopClients]
    private let anyLoopSet: LoopClients

    /// - Parameter endpoints: every downstream service's endpoints; a missing or empty entry
    ///   is an error naming the service.
    public init(
        endpoints: [DownstreamService: [Endpoint]], maxReconnectBackoff: Duration = .seconds(1),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
        for service in DownstreamService.allCases where (endpoints[service] ?? []).isEmpty {
            throw RPCError(
                code: .invalidArgument,
                message: "no address for \(service.displayName): pass --peer \(service.peerName)=host:port")
        }
        var sets: [ObjectIdentifier: LoopClients] = [:]
        var first: LoopClients?
        for loop in eventLoopGroup.makeIterator() {
            var channels: [DownstreamService: GRPCChannel] = [:]
            for service in DownstreamService.allCases {
                let list = endpoints[service]!
                var configuration = Self.channelConfiguration(endpointCount: list.count, maxBackoff: maxReconnectBackoff)
                configuration.eventLoopGroup = loop
                channels[service] = GRPCChannel(endpoints: list, configuration: configuration)
            }
            let set = LoopClients(channels: channels)
            sets[ObjectIdentifier(loop)] = set
            if first == nil { first = set }
        }
        self.sets = sets
        self.anyLoopSet = first!
    }

    /// The clients whose connections live on the calling thread's event loop.
    public var local: LoopClients {
        guard let loop = MultiThreadedEventLoopGroup.currentEventLoop else { return anyLoopSet }
        return sets[ObjectIdentifier(loop)] ?? anyLoopSet
    }

    public var customer: CustomerServiceClient { local.customer }
    public var metering: MeteringServiceClient { local.metering }
    public var asset: AssetServiceClient { local.asset }
    public var outage: OutageServiceClient { local.outage }
    public var finance: FinanceServiceClient { local.finance }

    /// Round robin over several endpoints; reconnect attempts start at 100 ms and never wait
    /// more than `maxBackoff`, so a downstream that comes back is used again within a second or so.
    public static func channelConfiguration(endpointCount: Int, maxBackoff: Duration) -> ChannelConfiguration {
        var configuration = ChannelConfiguration()
        configuration.loadBalancing = endpointCount > 1 ? .roundRobin : .pickFirst
        configuration.backoff.initialBackoff = min(.milliseconds(100), maxBackoff)
        configuration.backoff.maxBackoff = maxBackoff
        configuration.backoff.minConnectTimeout = .seconds(2)
        return configuration
    }

    /// The endpoints in use for `service`.
    public func endpoints(of service: DownstreamService) -> [Endpoint] { anyLoopSet.channels[service]?.endpoints ?? [] }

    /// Closes every channel (calls in flight fail with UNAVAILABLE).
    public func close() {
        for set in sets.values {
            for channel in set.channels.values { channel.close() }
        }
    }
}
