import CustomerAPI
import QuantumTypes
import RPCCore

/// What finance-service and metering-service learn from customer-service (their
/// `--peer customer`) to apply the separation policy: whose an account or a premise's service
/// is, and the customers' active consents. Asked on every call, never cached, so a revoked
/// consent stops bridging on the next call.
public struct CustomerDirectory: Sendable {
    let client: CustomerServiceClient

    /// `channel` should carry this service's own token (`BearerCredentials`) when
    /// customer-service requires authentication.
    public init(channel: any RPCChannel) {
        self.client = CustomerServiceClient(channel: channel)
    }

    /// The account's customer and side, or nil when customer-service does not know the account.
    public func owner(ofAccount accountID: String) async throws -> (customerID: String, side: DataSide?)? {
        do {
            let account = try await client.getCustomerAccount(.with { $0.accountID = accountID }, options: Self.options).account
            return account.map { ($0.customerID, DataSide($0.regulatoryScope)) }
        } catch let error as RPCError where error.code == .notFound {
            return nil
        } catch {
            throw Self.unavailable(error)
        }
    }

    /// The customers with an active account of `side` at the premise (its current occupants on
    /// that side of the business), in id order.
    public func customers(atPremise premiseID: String, side: DataSide) async throws -> [String] {
        let scope = side == .regulated ? "REGULATED" : "NON_REGULATED"
        do {
            let accounts = try await client.listCustomerAccounts(.with {
                $0.premiseIDs = [premiseID]
                $0.filter = "status = ACTIVE AND regulatory_scope = \(scope)"
                $0.pageSize = 1000
            }, options: Self.options).accounts
            return Array(Set(accounts.map(\.customerID))).sorted()
        } catch {
            throw Self.unavailable(error)
        }
    }

    /// The customer's active consents for `recipient`.
    public func activeConsents(customerID: String, recipient: BusinessUnitClaim) async throws -> [ConsentGrant] {
        do {
            let consents = try await client.listConsents(.with { $0.customerID = customerID; $0.pageSize = 1000 }, options: Self.options).consents
            return consents.compactMap(ConsentGrant.init).filter { $0.recipient == recipient }
        } catch {
            throw Self.unavailable(error)
        }
    }

    private static var options: CallOptions { .timeout(.seconds(5)) }

    private static func unavailable(_ error: any Error) -> RPCError {
        RPCError(code: .unavailable, message: "separation check failed: customer-service answered \(RPCError(from: error))")
    }
}
