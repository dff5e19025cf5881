import AssetAPI
import CustomerAPI
import FinanceAPI
import MeteringAPI
import OutageAPI
import RPCCore
import Transport

/// Where the five services listen.
public struct MeshTargets: Sendable, Hashable {
    public var customer = "127.0.0.1:50061"
    public var metering = "127.0.0.1:50062"
    public var asset = "127.0.0.1:50063"
    public var outage = "127.0.0.1:50064"
    public var finance = "127.0.0.1:50065"

    public init() {}
}

/// Typed clients of the five services over their own channels, and the call options every
/// call uses (a deadline, and the bearer token when one is given).
public struct MeshClients: Sendable {
    public let customer: CustomerServiceClient
    public let metering: MeteringServiceClient
    public let asset: AssetServiceClient
    public let outage: OutageServiceClient
    public let finance: FinanceServiceClient
    private let channels: [GRPCChannel]
    private let metadata: Metadata

    public init(targets: MeshTargets, token: String?) throws {
        let customer = try GRPCChannel(target: targets.customer)
        let metering = try GRPCChannel(target: targets.metering)
        let asset = try GRPCChannel(target: targets.asset)
        let outage = try GRPCChannel(target: targets.outage)
        let finance = try GRPCChannel(target: targets.finance)
        channels = [customer, metering, asset, outage, finance]
        self.customer = CustomerServiceClient(channel: customer)
        self.metering = MeteringServiceClient(channel: metering)
        self.asset = AssetServiceClient(channel: asset)
        self.outage = OutageServiceClient(channel: outage)
        self.finance = FinanceServiceClient(channel: finance)
        var metadata = Metadata()
        if let token, !token.isEmpty { metadata.add("authorization", "Bearer \(token)") }
        self.metadata = metadata
    }

    /// Options for one call: generous deadlines, since a loaded single-file store can be slow.
    public func options(timeout: Duration = .seconds(60)) -> CallOptions {
        .timeout(timeout, metadata: metadata)
    }

    public func close() { channels.forEach { $0.close() } }
}
