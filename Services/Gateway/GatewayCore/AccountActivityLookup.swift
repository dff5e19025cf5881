import FinanceAPI
import QuantumTypes

/// Balances and recent transactions of many accounts in one BatchGetAccountActivity per 100
/// accounts, instead of a GetBalance and a ListTransactions per account.
struct AccountActivityLookup: Sendable {
    let clients: GatewayClients
    let call: DownstreamCall

    /// One account's balance and recent transactions, and how reading them went: the batch's
    /// failure when the call failed, else the account's own status (e.g. WITHHELD).
    struct Activity: Sendable {
        var balance: Balance?
        var transactions: [FinancialTransaction] = []
        var status: SectionStatus
    }

    func activity(accountIDs: [String], transactionLimit: Int32) async -> [String: Activity] {
        let unique = accountIDs.filter { !$0.isEmpty }.uniqued()
        guard !unique.isEmpty else { return [:] }
        let section = await call.section(.finance) { options in
            var entries: [AccountActivity] = []
            for chunk in Paging.chunks(unique, of: 100) {
                entries += try await clients.finance.batchGetAccountActivity(
                    .with {
                        $0.accountIDs = chunk
                        $0.recentTransactionLimit = transactionLimit
                    }, options: options
                ).activities
            }
            return entries
        }
        guard let entries = section.value else {
            return Dictionary(uniqueKeysWithValues: unique.map { ($0, Activity(status: section.status)) })
        }
        var byAccount: [String: Activity] = [:]
        for entry in entries {
            byAccount[entry.accountID] = Activity(
                balance: entry.balance, transactions: entry.recentTransactions,
                status: SectionStatuses.entry(code: entry.statusCode, message: entry.statusMessage, service: .finance))
        }
        return byAccount
    }
}
