import FinanceAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit

extension FinanceOperations {
    public func recordCostAllocation(_ request: RecordCostAllocationRequest) async throws -> RecordCostAllocationResponse {
        let allocation = try CostSplit.resolve(
            try required(request.allocation, "allocation"), id: ids.make(prefix: "CAL"), now: clock.timestamp())
        return try await idempotentWrite(request, requestID: \.requestID, method: "RecordCostAllocation") { tx in
            try FinanceTables.costAllocations.insert(allocation.allocationID, allocation, tx)
            return .with { $0.allocation = allocation }
        }
    }

    public func listCostAllocations(_ request: ListCostAllocationsRequest) async throws -> ListCostAllocationsResponse {
        var conditions: [Condition] = []
        if let period = request.period {
            conditions.append(Condition("period = ?", [.integer(try FieldRules.period(period, "period").ordinal)]))
        }
        if !request.costPool.isEmpty { conditions.append(Condition("cost_pool = ?", [.text(request.costPool)])) }
        let page = try await list(
            FinanceTables.costAllocations, method: "ListCostAllocations",
            fields: ["period": request.period.map { String($0.ordinal) } ?? "", "cost_pool": request.costPool],
            where: conditions, pageSize: request.pageSize, pageToken: request.pageToken)
        return .with {
            $0.allocations = page.items
            $0.nextPageToken = page.nextPageToken
        }
    }

    /// Every allocation of the month by cost pool, with exact totals. Each stored allocation
    /// already sums to its pool, so the totals do too.
    public func getCostAllocationReport(_ request: GetCostAllocationReportRequest) async throws -> GetCostAllocationReportResponse {
        let period = try FieldRules.period(request.period, "period")
        let allocations = try await store.read { db in
            try db.query("SELECT body FROM cost_allocations WHERE period = ? ORDER BY cost_pool, id", period.ordinal)
                .map(FinanceTables.costAllocations.decode)
        }
        let currency = allocations.first?.poolAmount?.currencyCode ?? ""
        var pool: Int64 = 0, regulated: Int64 = 0, nonRegulated: Int64 = 0
        for allocation in allocations {
            guard allocation.poolAmount?.currencyCode == currency else {
                throw Fail.precondition("the allocations of \(period.text) mix currencies (\(currency) and others); no single total exists")
            }
            pool = try BudgetRules.add(pool, allocation.poolAmount?.minorUnits ?? 0)
            regulated = try BudgetRules.add(regulated, allocation.regulatedAmount?.minorUnits ?? 0)
            nonRegulated = try BudgetRules.add(nonRegulated, allocation.nonRegulatedAmount?.minorUnits ?? 0)
        }
        let money = { (units: Int64) in Money.with { $0.currencyCode = currency; $0.minorUnits = units } }
        return .with {
            $0.period = period
            $0.allocations = allocations
            $0.totalPool = money(pool)
            $0.totalRegulated = money(regulated)
            $0.totalNonRegulated = money(nonRegulated)
        }
    }
}
