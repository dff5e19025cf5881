import CustomerAPI
import MeteringDomain
import RPCCore
import Transport

/// Premise existence as customer-service knows it, over gRPC (`GetPremise`).
public final class CustomerPremiseDirectory: PremiseDirectory {
    private let channel: GRPCChannel
    private let client: CustomerServiceClient

    /// `target` is customer-service's `host:port` (the `customer` peer).
    public init(target: String) throws {
        channel = try GRPCChannel(target: target)
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

    deinit { channel.close() }
}
