import FinanceAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit

extension FinanceOperations {
    public func calculateBill(_ request: CalculateBillRequest) async throws -> CalculateBillResponse {
        let tariff: Tariff
        switch request.tariffSource {
        case .tariffID(let id)?:
            try FieldRules.id(id, prefix: "TRF", "tariff_id")
            tariff = try await store.read { db in try FinanceTables.tariffs.get(id, db) }
        case .tariff(let inline)?:
            tariff = inline
        case nil:
            throw Fail.invalid("tariff_id or tariff is required")
        }
        return try BillCalculator.calculate(tariff: tariff, billingPeriod: request.billingPeriod, usage: request.usage)
    }

    /// Stores the bill and posts its charge in one transaction. A bill already issued for the
    /// same account and period is returned as it is when the inputs match (nothing posted
    /// again), and refused with ALREADY_EXISTS when they differ.
    public func issueBill(_ request: IssueBillRequest) async throws -> IssueBillResponse {
        try FieldRules.id(request.accountID, prefix: "ACC", "account_id")
        try FieldRules.specified(request.regulatoryScope, "regulatory_scope")
        try FieldRules.id(request.tariffID, prefix: "TRF", "tariff_id")
        let period = try FieldRules.closedRange(request.billingPeriod, "billing_period")
        let dueDate = try request.dueDate.map { date throws(RPCError) in try FieldRules.date(date, "due_date") } ?? period.end.adding(days: 21)
        guard !request.requestID.isEmpty,
            let inputs = try IdempotencyKey.make(for: request, requestID: \.requestID, method: "IssueBill")?.bodyDigest
        else { throw Fail.invalid("request_id is required for IssueBill: money must never move twice on a retry") }
        let now = clock.timestamp()
        let billID = ids.make(prefix: "BIL"), chargeID = ids.make(prefix: "TXN")
        return try await idempotentWrite(request, requestID: \.requestID, method: "IssueBill", required: true) { tx in
            if let existing = try tx.queryOne(
                "SELECT body, inputs_digest FROM bills WHERE account_id = ? AND period_start = ? AND period_end = ?",
                request.accountID, period.start.ordinal, period.end.ordinal)
            {
                let digest: [UInt8] = try existing["inputs_digest"]
                guard digest == inputs else {
                    throw Fail.alreadyExists(
                        "account '\(request.accountID)' already has a bill for \(period.start.text)…\(period.end.text) issued with different inputs")
                }
                let stored = try FinanceTables.bills.decode(existing)
                return .with { $0.bill = stored }
            }
            let tariff = try tariffInEffect(request.tariffID, on: period.start, scope: request.regulatoryScope, tx)
            let calculation = try BillCalculator.calculate(tariff: tariff, billingPeriod: request.billingPeriod, usage: request.usage)
            var bill = Bill.with {
                $0.billID = billID
                $0.accountID = request.accountID
                $0.tariffID = tariff.tariffID
                $0.billingPeriod = request.billingPeriod
                $0.lineItems = calculation.lineItems
                $0.total = calculation.total
                $0.totalUsage = calculation.totalUsage
                $0.status = .issued
                $0.regulatoryScope = request.regulatoryScope
                $0.dueDate = dueDate
                $0.issueTime = now
            }
            if let charge = chargeTransaction(for: bill, id: chargeID, requestID: request.requestID, now: now) {
                try Ledger.append(charge, tx)
                bill.chargeTransactionID = charge.transactionID
            }
            try FinanceTables.bills.insert(bill.billID, bill, tx, extra: [("inputs_digest", .blob(inputs))])
            return .with { $0.bill = bill }
        }
    }

    public func getBill(_ request: GetBillRequest) async throws -> GetBillResponse {
        try FieldRules.id(request.billID, prefix: "BIL", "bill_id")
        let bill = try await store.read { db in try FinanceTables.bills.get(request.billID, db) }
        return .with { $0.bill = bill }
    }

    public func listBills(_ request: ListBillsRequest) async throws -> ListBillsResponse {
        try FieldRules.id(request.accountID, prefix: "ACC", "account_id")
        let page = try await list(
            FinanceTables.bills, method: "ListBills", fields: ["account_id": request.accountID],
            where: [Condition("account_id = ?", [.text(request.accountID)])],
            order: KeysetList(sortColumn: "period_start", descending: true), pageSize: request.pageSize, pageToken: request.pageToken)
        return .with {
            $0.bills = page.items
            $0.nextPageToken = page.nextPageToken
        }
    }

    /// The stored tariff, in effect on `date` and of the account's scope (else FAILED_PRECONDITION).
    private func tariffInEffect(_ id: String, on date: CalendarDate, scope: RegulatoryScope, _ db: any StoreReading) throws -> Tariff {
        guard let tariff = try FinanceTables.tariffs.find(id, db) else {
            throw Fail.precondition("tariff_id '\(id)' does not exist: no such tariff")
        }
        guard TariffRules.isEffective(tariff, on: date) else {
            throw Fail.precondition("tariff '\(id)' is not in effect on \(date.text), the billing period's first day")
        }
        guard tariff.regulatoryScope == scope else {
            throw Fail.precondition(
                "tariff '\(id)' is \(tariff.regulatoryScope.protoName ?? "?") but the account is \(scope.protoName ?? "?")")
        }
        return tariff
    }

    /// The ledger entry for a bill's total: a CHARGE when positive, an ADJUSTMENT (credit)
    /// when negative, nothing for a zero bill.
    private func chargeTransaction(for bill: Bill, id: String, requestID: String, now: Timestamp) -> FinancialTransaction? {
        guard let total = bill.total, total.minorUnits != 0 else { return nil }
        return .with {
            $0.transactionID = id
            $0.accountID = bill.accountID
            $0.transactionType = total.minorUnits > 0 ? .charge : .adjustment
            $0.amount = total
            $0.regulatoryScope = bill.regulatoryScope
            $0.effectiveTime = now
            $0.postTime = now
            $0.billID = bill.billID
            $0.memo = "Bill \(bill.billID)"
            $0.requestID = requestID
        }
    }
}
