import FinanceAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit

extension FinanceOperations {
    static let complianceFilter = ListFilter(fields: [
        "standard": .contains(column: "standard_folded"),
        "regulatory_scope": ListFilter.enumeration("regulatory_scope", RegulatoryScope.self),
    ])

    public func createComplianceRecord(_ request: CreateComplianceRecordRequest) async throws -> CreateComplianceRecordResponse {
        var record = try required(request.record, "record")
        try ComplianceRules.validate(record)
        let now = clock.timestamp()
        record.complianceRecordID = ids.make(prefix: "CPL")
        record.filingIDs = []
        record.createTime = now
        record.updateTime = now
        let created = record
        return try await idempotentWrite(request, requestID: \.requestID, method: "CreateComplianceRecord") { tx in
            try FinanceTables.complianceRecords.insert(created.complianceRecordID, created, tx)
            return .with { $0.record = created }
        }
    }

    public func getComplianceRecord(_ request: GetComplianceRecordRequest) async throws -> GetComplianceRecordResponse {
        try FieldRules.id(request.complianceRecordID, prefix: "CPL", "compliance_record_id")
        let record = try await store.read { db in
            try FilingLinks.withLinks(try FinanceTables.complianceRecords.get(request.complianceRecordID, db), db)
        }
        return .with { $0.record = record }
    }

    public func updateComplianceRecord(_ request: UpdateComplianceRecordRequest) async throws -> UpdateComplianceRecordResponse {
        let patch = try required(request.record, "record")
        try FieldRules.id(patch.complianceRecordID, prefix: "CPL", "record.compliance_record_id")
        let now = clock.timestamp()
        let record = try await store.write { tx in
            let current = try FinanceTables.complianceRecords.get(patch.complianceRecordID, tx)
            let updated = try ComplianceRules.updated(current, patch: patch, mask: request.updateMask, now: now)
            try FinanceTables.complianceRecords.replace(updated.complianceRecordID, updated, tx)
            return try FilingLinks.withLinks(updated, tx)
        }
        return .with { $0.record = record }
    }

    public func listComplianceRecords(_ request: ListComplianceRecordsRequest) async throws -> ListComplianceRecordsResponse {
        var conditions = try Self.complianceFilter.conditions(request.filter)
        try FieldRules.known(request.outcome, "outcome")
        if request.outcome != .unspecified { conditions.append(Condition("outcome = ?", [.integer(Int64(request.outcome.rawValue))])) }
        if !request.filingID.isEmpty {
            try FieldRules.id(request.filingID, prefix: "FIL", "filing_id")
            conditions.append(Condition("id IN (SELECT compliance_record_id FROM filing_links WHERE filing_id = ?)", [.text(request.filingID)]))
        }
        let page = try await list(
            FinanceTables.complianceRecords, method: "ListComplianceRecords",
            fields: ["filing_id": request.filingID, "outcome": String(request.outcome.rawValue), "filter": request.filter],
            where: conditions, pageSize: request.pageSize, pageToken: request.pageToken)
        let records = try await store.read { db in try page.items.map { try FilingLinks.withLinks($0, db) } }
        return .with {
            $0.records = records
            $0.nextPageToken = page.nextPageToken
        }
    }

    public func linkComplianceRecord(_ request: LinkComplianceRecordRequest) async throws -> LinkComplianceRecordResponse {
        let (filing, record) = try await changeLink(request.filingID, request.complianceRecordID) { filing, record, tx in
            _ = try FilingLinks.link(filing: filing, record: record, tx)
        }
        return .with {
            $0.filing = filing
            $0.record = record
        }
    }

    public func unlinkComplianceRecord(_ request: UnlinkComplianceRecordRequest) async throws -> UnlinkComplianceRecordResponse {
        let (filing, record) = try await changeLink(request.filingID, request.complianceRecordID) { filing, record, tx in
            guard try FilingLinks.unlink(filing: filing, record: record, tx) else {
                throw RPCError(code: .notFound, message: "compliance record '\(record)' is not linked to filing '\(filing)'")
            }
        }
        return .with {
            $0.filing = filing
            $0.record = record
        }
    }

    /// Checks both ids exist, applies `change` and returns both resources with their links, in one transaction.
    private func changeLink(
        _ filingID: String, _ recordID: String, _ change: @escaping @Sendable (String, String, any StoreWriting) throws -> Void
    ) async throws -> (RegulatoryFiling, ComplianceRecord) {
        try FieldRules.id(filingID, prefix: "FIL", "filing_id")
        try FieldRules.id(recordID, prefix: "CPL", "compliance_record_id")
        return try await store.write { tx in
            let filing = try FinanceTables.filings.get(filingID, tx)
            let record = try FinanceTables.complianceRecords.get(recordID, tx)
            try change(filingID, recordID, tx)
            return (try FilingLinks.withLinks(filing, tx), try FilingLinks.withLinks(record, tx))
        }
    }
}
