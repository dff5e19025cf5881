import FinanceAPI
import ProtoRuntime
import QuantumTypes

/// Money: one issued bill per regulated account over the whole local days of the reading
/// window, payments on most regulated accounts, and the charges of non-regulated products.
struct BillingPlanner {
    func plan(_ plan: inout DemoPlan) {
        let window = (start: plan.parameters.windowStart, end: plan.parameters.windowEnd)
        let days = LocalDays(timeZone: CityModel.timeZone)
        var first = days.date(of: window.start)
        if days.midnight(first) < window.start { first = days.adding(1, to: first) }
        let last = days.adding(-1, to: days.date(of: window.end))
        let meterByPremise = Dictionary(plan.meterPoints.indices.map { (plan.meterPoints[$0].premise, $0) }, uniquingKeysWith: { a, _ in a })
        let tariffByAccount = Dictionary(plan.agreements.compactMap { agreement in
            plan.products[agreement.product].tariff.map { (agreement.account, $0) }
        }, uniquingKeysWith: { a, _ in a })
        let agreementsByAccount = Dictionary(grouping: plan.agreements, by: \.account)

        for (index, planned) in plan.accounts.enumerated() {
            var random = SeededRandom(seed: plan.parameters.seed, stream: "money-\(index)")
            if planned.account.regulatoryScope == .regulated {
                if let tariff = tariffByAccount[index], let meter = meterByPremise[planned.premise], days.midnight(last) >= days.midnight(first) {
                    plan.bills.append(PlannedBill(account: index, tariff: tariff, meterPoint: meter, firstDay: first, lastDay: last))
                }
                if random.chance(0.7) {
                    addTransaction(index, .payment, cents: -Int64(random.int(4_000...25_000)), at: window.start + Int64(random.int(1...48)) * 3600,
                                   memo: "Payment received, thank you", scope: .regulated, &plan)
                }
            } else {
                for agreement in agreementsByAccount[index] ?? [] {
                    let product = plan.products[agreement.product].product
                    guard let price = product.listPrice else { continue }
                    addTransaction(index, .charge, cents: price.minorUnits, at: window.start + Int64(random.int(1...72)) * 3600,
                                   memo: product.displayName, scope: .nonRegulated, &plan)
                }
            }
        }
    }

    private func addTransaction(
        _ account: Int, _ type: TransactionType, cents: Int64, at seconds: Int64, memo: String, scope: RegulatoryScope, _ plan: inout DemoPlan
    ) {
        plan.transactions.append(PlannedTransaction(
            transaction: .with {
                $0.transactionType = type
                $0.amount = .with { $0.currencyCode = "USD"; $0.minorUnits = cents }
                $0.regulatoryScope = scope
                $0.effectiveTime = Timestamp(seconds: seconds)
                $0.memo = memo
                $0.ledgerAccount = type == .payment ? "1100-cash" : "4000-revenue"
            },
            account: account))
    }
}
