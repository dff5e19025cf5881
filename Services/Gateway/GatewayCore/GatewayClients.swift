import AssetAPI
import CustomerAPI
import FinanceAPI
import MeteringAPI
import OutageAPI
import RPCCore
import Transport

/// One long-lived, multiplexed channel per downstream service, and the typed clients over
/// them. Several endpoints of one service are used round robin; a restarted downstream is
/// reconnected after at most `maxReconnectBackoff`, without restarting the gateway.
public final class GatewayClients: Sendable {
    public let customer: CustomerServiceClient
    public let metering: MeteringServiceClient
    public let asset: AssetServiceClient
    public let outage: OutageServiceClient
    public let finance: FinanceServiceClient
    private let channels: [DownstreamService: GRPCChannel]

    /// - Parameter endpoints: every downstream service's endpoints; a missing or empty entry
    ///   is an error naming the service.
    public init(endpoints: [DownstreamService: [Endpoint]], maxReconnectBackoff: Duration = .seconds(1)) throws {
        var channels: [DownstreamService: GRPCChannel] = [:]
        for service in DownstreamService.allCases {
            guard let list = endpoints[service], !list.isEmpty else {
                throw RPCError(
                    code: .invalidArgument,
                    message: "no address for \(service.displayName): pass --peer \(service.peerName)=host:port")
            }
            channels[service] = GRPCChannel(
                endpoints: list, configuration: Self.channelConfiguration(endpointCount: list.count, maxBackoff: maxReconnectBackoff))
        }
        self.channels = channels
        customer = CustomerServiceClient(channel: channels[.customer]!)
        metering = MeteringServiceClient(channel: channels[.metering]!)
        asset = AssetServiceClient(channel: channels[.asset]!)
        outage = OutageServiceClient(channel: channels[.outage]!)
        finance = FinanceServiceClient(channel: channels[.finance]!)
    }

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
    public func endpoints(of service: DownstreamService) -> [Endpoint] { channels[service]?.endpoints ?? [] }

    /// Closes every channel (calls in flight fail with UNAVAILABLE).
    public func close() {
        for channel in channels.values { channel.close() }
    }
}
