import CustomerAPI

/// The ids the customer overview's second hop is made for: the customer's accounts (balances
/// and transactions) and its premises (meter points with consumption, open outages). Each list
/// is unique and keeps the order of first appearance. (The agreements' products come with the
/// summary.)
public struct OverviewKeys: Sendable, Hashable {
    public var accountIDs: [String]
    public var premiseIDs: [String]

    public init(accountIDs: [String] = [], premiseIDs: [String] = []) {
        self.accountIDs = accountIDs.filter { !$0.isEmpty }.uniqued()
        self.premiseIDs = premiseIDs.filter { !$0.isEmpty }.uniqued()
    }

    init(accounts: [CustomerAccount], premises: [Premise]) {
        self.init(accountIDs: accounts.map(\.accountID), premiseIDs: premises.map(\.premiseID))
    }
}

extension Array where Element == String {
    /// Whether every id of `ids` is one of these: an answer made for these ids then holds
    /// everything an answer for `ids` would.
    func covers(_ ids: [String]) -> Bool {
        if ids.count <= 8 && count <= 8 { return ids.allSatisfy(contains) }
        return Set(self).isSuperset(of: ids)
    }
}
