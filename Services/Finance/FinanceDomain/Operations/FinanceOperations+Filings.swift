import FinanceAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit

extension FinanceOperations {
    static let filingFilter = ListFilter(fields: [
        "jurisdiction": .equals(column: "jurisdiction"),
        "agency": .equals(column: "agency"),
    ])

    public func createRegulatoryFiling(_ request: CreateRegulatoryFilingRequest) async throws -> CreateRegulatoryFilingResponse {
        var filing = try required(request.filing, "filing")
        try FieldRules.specified(filing.filingType, "filing.filing_type")
        try FieldRules.text(filing.title, "filing.title", required: true)
        try FieldRules.text(filing.jurisdiction, "filing.jurisdiction", required: true)
        for (value, field) in [(filing.agency, "agency"), (filing.docketNumber, "docket_number"), (filing.documentURI, "document_uri")] {
            try FieldRules.text(value, "filing.\(field)")
        }
        guard filing.status == .unspecified || filing.status == .draft else {
            throw Fail.invalid("filing.status is output only: a filing starts as DRAFT; use TransitionFilingStatus")
        }
        let now = clock.timestamp()
        filing.filingID = ids.make(prefix: "FIL")
        filing.status = .draft
        filing.filedDate = nil
        filing.complianceRecordIDs = []
        filing.createTime = now
        filing.updateTime = now
        let created = filing
        return try await idempotentWrite(request, requestID: \.requestID, method: "CreateRegulatoryFiling") { tx in
            try FinanceTables.filings.insert(created.filingID, created, tx)
            return .with { $0.filing = created }
        }
    }

    public func getRegulatoryFiling(_ request: GetRegulatoryFilingRequest) async throws -> GetRegulatoryFilingResponse {
        try FieldRules.id(request.filingID, prefix: "FIL", "filing_id")
        let filing = try await store.read { db in try FilingLinks.withLinks(try FinanceTables.filings.get(request.filingID, db), db) }
        return .with { $0.filing = filing }
    }

    public func listRegulatoryFilings(_ request: ListRegulatoryFilingsRequest) async throws -> ListRegulatoryFilingsResponse {
        var conditions = try Self.filingFilter.conditions(request.filter)
        try FieldRules.known(request.filingType, "filing_type")
        try FieldRules.known(request.status, "status")
        if request.filingType != .unspecified { conditions.append(Condition("filing_type = ?", [.integer(Int64(request.filingType.rawValue))])) }
        if request.status != .unspecified { conditions.append(Condition("status = ?", [.integer(Int64(request.status.rawValue))])) }
        if !request.complianceRecordID.isEmpty {
            try FieldRules.id(request.complianceRecordID, prefix: "CPL", "compliance_record_id")
            conditions.append(Condition(
                "id IN (SELECT filing_id FROM filing_links WHERE compliance_record_id = ?)", [.text(request.complianceRecordID)]))
        }
        let page = try await list(
            FinanceTables.filings, method: "ListRegulatoryFilings",
            fields: [
                "filing_type": String(request.filingType.rawValue), "status": String(request.status.rawValue),
                "compliance_record_id": request.complianceRecordID, "filter": request.filter,
            ],
            where: conditions, pageSize: request.pageSize, pageToken: request.pageToken)
        let filings = try await store.read { db in try page.items.map { try FilingLinks.withLinks($0, db) } }
        return .with {
            $0.filings = filings
            $0.nextPageToken = page.nextPageToken
        }
    }

    public func transitionFilingStatus(_ request: TransitionFilingStatusRequest) async throws -> TransitionFilingStatusResponse {
        try FieldRules.id(request.filingID, prefix: "FIL", "filing_id")
        try FieldRules.specified(request.toStatus, "to_status")
        let effectiveDate = try request.effectiveDate.map { date throws(RPCError) in try FieldRules.date(date, "effective_date") } ?? clock.today()
        let now = clock.timestamp()
        let filing = try await store.write { tx in
            var filing = try FinanceTables.filings.get(request.filingID, tx)
            try FilingStatusMachine.check(from: filing.status, to: request.toStatus, filingID: filing.filingID)
            filing.status = request.toStatus
            if request.toStatus == .filed { filing.filedDate = effectiveDate }
            filing.updateTime = now
            try FinanceTables.filings.replace(filing.filingID, filing, tx)
            return try FilingLinks.withLinks(filing, tx)
        }
        return .with { $0.filing = filing }
    }
}
