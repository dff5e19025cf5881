import CustomerAPI
import MeshAuth
import MeteringDomain
import RPCCore
import Transport

/// Premise existence as customer-service knows it, over gRPC (`GetPremise`).
public final class CustomerPremiseDirectory: PremiseDirectory {
    private let channel: GRPCChannel
    private let client: CustomerServiceClient

    /// `target` is customer-service's `host:port` (the `customer` peer); `configuration` may
    /// carry this service's token (issue 11).
    public init(target: String, configuration: ChannelConfiguration = ChannelConfiguration()) throws {
        channel = try GRPCChannel(target: target, configuration: configuration)
        client = CustomerServiceClient(channel: channel)
    }

    public func premiseExists(_ premiseID: String) async throws -> Bool {
        do {
            _ = try await client.getPremise(.with { $0.premiseID = premiseID }, options: .timeout(.seconds(5)))
            return true
        } catch let error as RPCError where error.code == .notFound {
            return false
        } catch let error as RPCError {
            throw RPCError(code: .unavailable, message: "cannot check premise '\(premiseID)' with customer-service: \(error.message)")
        }
    }

    /// The separation policy's view of customer-service, over this directory's channel.
    public var customerDirectory: CustomerDirectory { CustomerDirectory(channel: channel) }

    deinit { channel.close() }
}
