import FinanceAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

/// Each resource's table and the columns derived from it (see `FinanceSchema`).
enum FinanceTables {
    static let transactions = StoredResource<FinancialTransaction>(table: "transactions", kind: "transaction") { transaction in
        [
            ("account_id", .text(transaction.accountID)),
            ("transaction_type", .integer(Int64(transaction.transactionType.rawValue))),
            ("amount", .integer(transaction.amount?.minorUnits ?? 0)),
            ("currency", .text(transaction.amount?.currencyCode ?? "")),
            ("effective_ms", .integer(transaction.effectiveTime?.milliseconds ?? 0)),
        ]
    }

    static let tariffs = StoredResource<Tariff>(table: "tariffs", kind: "tariff") { tariff in
        [
            ("commodity", .integer(Int64(tariff.commodity.rawValue))),
            ("jurisdiction", .text(tariff.jurisdiction)),
            ("display_name", .text(tariff.displayName.lowercased())),
            ("start_date", .integer(tariff.effectiveDates?.startDate?.ordinal ?? 0)),
            ("end_date", tariff.effectiveDates?.endDate.map { .integer($0.ordinal) } ?? .null),
        ]
    }

    static let bills = StoredResource<Bill>(table: "bills", kind: "bill") { bill in
        [
            ("account_id", .text(bill.accountID)),
            ("period_start", .integer(bill.billingPeriod?.startDate?.ordinal ?? 0)),
            ("period_end", .integer(bill.billingPeriod?.endDate?.ordinal ?? 0)),
        ]
    }

    static let filings = StoredResource<RegulatoryFiling>(table: "filings", kind: "filing") { filing in
        [
            ("filing_type", .integer(Int64(filing.filingType.rawValue))),
            ("status", .integer(Int64(filing.status.rawValue))),
            ("jurisdiction", .text(filing.jurisdiction)),
            ("agency", .text(filing.agency)),
        ]
    }

    static let complianceRecords = StoredResource<ComplianceRecord>(table: "compliance_records", kind: "compliance record") { record in
        [
            ("outcome", .integer(Int64(record.outcome.rawValue))),
            ("standard_folded", .text(record.standard.lowercased())),
            ("regulatory_scope", .integer(Int64(record.regulatoryScope.rawValue))),
        ]
    }

    static let costAllocations = StoredResource<CostAllocation>(table: "cost_allocations", kind: "cost allocation") { allocation in
        [
            ("period", .integer(allocation.period?.ordinal ?? 0)),
            ("cost_pool", .text(allocation.costPool)),
        ]
    }

    static let budgetLines = StoredResource<BudgetLine>(table: "budget_lines", kind: "budget line") { line in
        let period = line.period?.ordinal ?? 0
        return [
            ("period", .integer(period)),
            ("business_unit", .integer(Int64(line.businessUnit.rawValue))),
            ("line", .text(line.line)),
            // Lists go by period, business unit, line: one text key keeps keyset paging to one column.
            ("sort_key", .text("\(period)|\(line.businessUnit.rawValue)|\(line.line)")),
        ]
    }

    static let auditRecords = StoredResource<AuditRecord>(table: "audit_records", kind: "audit record") { record in
        [
            ("record_ms", .integer(record.recordTime?.milliseconds ?? 0)),
            ("subject", .text(record.subject)),
            ("decision", .integer(Int64(record.decision.rawValue))),
            ("caller_business_unit", .integer(Int64(record.callerBusinessUnit.rawValue))),
            ("customer_id", .text(record.customerID)),
            ("resource_id", .text(record.resourceID)),
            ("method", .text(record.method)),
        ]
    }
}
