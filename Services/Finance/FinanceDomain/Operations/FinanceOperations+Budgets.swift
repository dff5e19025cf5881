import FinanceAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit

extension FinanceOperations {
    /// Creates the line, or replaces planned, forecast and notes of the existing
    /// (period, business unit, line), keeping its id.
    public func recordBudgetLine(_ request: RecordBudgetLineRequest) async throws -> RecordBudgetLineResponse {
        var line = try required(request.budgetLine, "budget_line")
        try BudgetRules.validate(line)
        line.updateTime = clock.timestamp()
        let newID = ids.make(prefix: "BUD")
        let requested = line
        return try await idempotentWrite(request, requestID: \.requestID, method: "RecordBudgetLine") { tx in
            var line = requested
            let period = line.period?.ordinal ?? 0
            if let existing = try tx.queryOne(
                "SELECT id FROM budget_lines WHERE period = ? AND business_unit = ? AND line = ?",
                period, Int64(line.businessUnit.rawValue), line.line)
            {
                line.budgetLineID = try existing["id"]
                try FinanceTables.budgetLines.replace(line.budgetLineID, line, tx)
            } else {
                line.budgetLineID = newID
                try FinanceTables.budgetLines.insert(newID, line, tx)
            }
            let stored = line
            return .with { $0.budgetLine = stored }
        }
    }

    public func listBudgetLines(_ request: ListBudgetLinesRequest) async throws -> ListBudgetLinesResponse {
        let conditions = try budgetConditions(request.period, request.businessUnit)
        let page = try await list(
            FinanceTables.budgetLines, method: "ListBudgetLines",
            fields: ["period": request.period.map { String($0.ordinal) } ?? "", "business_unit": String(request.businessUnit.rawValue)],
            where: conditions, order: KeysetList(sortColumn: "sort_key", sortIsInteger: false),
            pageSize: request.pageSize, pageToken: request.pageToken)
        return .with {
            $0.budgetLines = page.items
            $0.nextPageToken = page.nextPageToken
        }
    }

    public func compareBudget(_ request: CompareBudgetRequest) async throws -> CompareBudgetResponse {
        let period = try FieldRules.period(request.period, "period")
        let conditions = try budgetConditions(period, request.businessUnit)
        let sql = "SELECT body FROM budget_lines WHERE " + conditions.map(\.sql).joined(separator: " AND ") + " ORDER BY sort_key, id"
        let lines = try await store.read { db in
            try db.query(sql, parameters: conditions.flatMap(\.parameters)).map(FinanceTables.budgetLines.decode)
        }
        let comparison = try BudgetRules.compare(lines)
        return .with {
            $0.period = period
            $0.lines = comparison.rows
            $0.total = comparison.total
        }
    }

    private func budgetConditions(_ period: AccountingPeriod?, _ businessUnit: BusinessUnit) throws(RPCError) -> [Condition] {
        var conditions: [Condition] = []
        if let period { conditions.append(Condition("period = ?", [.integer(try FieldRules.period(period, "period").ordinal)])) }
        try FieldRules.known(businessUnit, "business_unit")
        if businessUnit != .unspecified { conditions.append(Condition("business_unit = ?", [.integer(Int64(businessUnit.rawValue))])) }
        return conditions
    }
}
