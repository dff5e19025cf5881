import CustomerAPI
import GatewayAPI
import QuantumTypes

/// The pure arithmetic of an outage impact: exact counts, notification targets grouped by
/// customer, and cutting lists at max_items.
public enum ImpactTally {
    /// Entries per list when the request says 0.
    public static let defaultMaxItems = 10_000

    /// `max_items` with its default applied.
    public static func maxItems(_ requested: Int32) -> Int {
        requested <= 0 ? defaultMaxItems : Int(requested)
    }

    /// Counts over the whole impact (never truncated).
    public static func counts(
        downstreamAssetCount: Int, meterPointCount: Int, premiseCount: Int, accounts: [CustomerAccount]
    ) -> ImpactCounts {
        .with {
            $0.downstreamAssetCount = Int64(downstreamAssetCount)
            $0.meterPointCount = Int64(meterPointCount)
            $0.premiseCount = Int64(premiseCount)
            $0.accountCount = Int64(accounts.count)
            $0.regulatedAccountCount = Int64(accounts.count { $0.regulatoryScope == .regulated })
            $0.nonRegulatedAccountCount = Int64(accounts.count { $0.regulatoryScope == .nonRegulated })
            $0.customerCount = Int64(Set(accounts.map(\.customerID)).count)
        }
    }

    /// One target per customer found (by customer_id), with its affected accounts and premises.
    public static func targets(accounts: [CustomerAccount], customers: [Customer]) -> [NotificationTarget] {
        var accountsByCustomer: [String: [CustomerAccount]] = [:]
        for account in accounts { accountsByCustomer[account.customerID, default: []].append(account) }
        return customers.sorted { $0.customerID < $1.customerID }.map { customer in
            let held = accountsByCustomer[customer.customerID] ?? []
            return NotificationTarget.with {
                $0.customerID = customer.customerID
                $0.displayName = customer.displayName
                $0.communicationPreferences = customer.communicationPreferences
                $0.contact = customer.contact
                $0.contactWithheld = customer.contactWithheld
                $0.accountIDs = held.map(\.accountID).sorted()
                $0.premiseIDs = Set(held.map(\.premiseID)).sorted()
            }
        }
    }

    /// At most `limit` items, and whether some were cut.
    public static func truncated<Item>(_ items: [Item], to limit: Int) -> (items: [Item], truncated: Bool) {
        items.count > limit ? (Array(items.prefix(limit)), true) : (items, false)
    }
}
