import FinanceAPI
import QuantumTypes
import RPCCore

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

    /// Each account's activity by id.
    struct Answer: Sendable {
        fileprivate var byAccount: [String: Activity] = [:]
        /// False when the batch call failed (every account then carries that failure).
        fileprivate(set) var answered = true

        /// The account's activity; INTERNAL naming finance-service if its answer left it out.
        func of(_ accountID: String) -> Activity {
            byAccount[accountID] ?? Activity(status: SectionStatuses.from(
                RPCError(code: .internal, message: "finance-service answered nothing for \(accountID)"), service: .finance))
        }
    }

    func activity(accountIDs: [String], transactionLimit: Int32) async -> Answer {
        let unique = accountIDs.filter { !$0.isEmpty }.uniqued()
        guard !unique.isEmpty else { return Answer() }
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
        var answer = Answer()
        guard let entries = section.value else {
            answer.answered = false
            for id in unique { answer.byAccount[id] = Activity(status: section.status) }
            return answer
        }
        for entry in entries {
            answer.byAccount[entry.accountID] = Activity(
                balance: entry.balance, transactions: entry.recentTransactions,
                status: SectionStatuses.entry(code: entry.statusCode, message: entry.statusMessage, service: .finance))
        }
        return answer
    }
}
