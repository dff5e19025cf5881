import FinanceAPI
import ProtoRuntime
import QuantumTypes

/// Bills (hourly usage from the same generated readings the meters got) and ledger entries.
extension DemoLoader {
    func issueBill(_ index: Int, _ ids: IDs) async throws -> String {
        let planned = plan.bills[index]
        let profile = plan.meterPoints[planned.meterPoint].profile
        let days = LocalDays(timeZone: plan.tariffs[planned.tariff].timeZone)
        let from = days.midnight(planned.firstDay), to = days.midnight(days.adding(1, to: planned.lastDay))
        let usage = ReadingGenerator(timeZone: profile.timeZone).hourlyDelivered(profile, from: from, to: to).map { hour in
            UsageInterval.with {
                $0.startTime = Timestamp(seconds: hour.start)
                $0.length = ProtoDuration(seconds: 3600)
                $0.energy = .with { $0.milliValue = hour.milli; $0.unit = .kwh }
            }
        }
        return try await clients.finance.issueBill(
            .with {
                $0.accountID = ids.accounts[planned.account]
                $0.regulatoryScope = .regulated
                $0.tariffID = ids.tariffs[planned.tariff]
                $0.billingPeriod = .with { $0.startDate = planned.firstDay; $0.endDate = planned.lastDay }
                $0.usage = usage
                $0.requestID = requestID("bill", index)
            }, options: clients.options()
        ).bill?.billID ?? ""
    }

    func postTransaction(_ index: Int, _ ids: IDs) async throws -> String {
        var transaction = plan.transactions[index].transaction
        transaction.accountID = ids.accounts[plan.transactions[index].account]
        return try await clients.finance.postTransaction(
            .with { $0.transaction = transaction; $0.requestID = requestID("transaction", index) }, options: clients.options()
        ).transaction?.transactionID ?? ""
    }
}
