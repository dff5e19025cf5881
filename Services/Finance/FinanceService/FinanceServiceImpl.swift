import FinanceAPI
import FinanceDomain
import MeshAuth
import QuantumTypes
import RPCCore
import ServiceKit

/// `quantum.finance.v1.FinanceService` over gRPC: every method hands its request to
/// `FinanceOperations` (the rules and the store) and turns what it throws into a status.
/// Nothing else happens here, so the domain is tested without sockets and this stays thin.
///
/// Reads of account data pass through `FinanceSeparation` (issue 11) when the call has a caller.
public struct FinanceServiceImpl: FinanceServiceHandler {
    let operations: FinanceOperations
    let separation: FinanceSeparation

    /// - Parameters:
    ///   - customers: customer-service, which the separation policy asks whose an account is;
    ///     without it, cross-boundary reads fail with FAILED_PRECONDITION when authentication is on.
    ///   - audit: where separation decisions are recorded; default: the store's audit trail.
    public init(operations: FinanceOperations, customers: CustomerDirectory? = nil, audit: AuditTrail? = nil) {
        self.operations = operations
        self.separation = FinanceSeparation(owners: customers, audit: audit ?? operations.auditTrail)
    }

    public func postTransaction(_ request: PostTransactionRequest, context: ServerContext) async throws -> PostTransactionResponse {
        try await status { try await operations.postTransaction(request) }
    }

    public func getTransaction(_ request: GetTransactionRequest, context: ServerContext) async throws -> GetTransactionResponse {
        try await status {
            let response = try await operations.getTransaction(request)
            if let transaction = response.transaction {
                try await separation.requireAccess(
                    accountID: transaction.accountID, recordScope: transaction.regulatoryScope,
                    resourceID: transaction.transactionID, kind: "FinancialTransaction")
            }
            return response
        }
    }

    public func listTransactions(_ request: ListTransactionsRequest, context: ServerContext) async throws -> ListTransactionsResponse {
        try await status {
            let response = try await operations.listTransactions(request)
            let visible = try await separation.allowsList(
                accountID: request.accountID, recordScopes: response.transactions.map(\.regulatoryScope),
                count: response.transactions.count, kind: "FinancialTransaction")
            return visible ? response : ListTransactionsResponse()
        }
    }

    /// One store read for every account; the separation policy answers each account on its own.
    public func batchGetAccountActivity(_ request: BatchGetAccountActivityRequest, context: ServerContext) async throws -> BatchGetAccountActivityResponse {
        try await status { try await separation.visibleActivities(try await operations.batchGetAccountActivity(request)) }
    }

    public func getBalance(_ request: GetBalanceRequest, context: ServerContext) async throws -> GetBalanceResponse {
        try await status {
            let response = try await operations.getBalance(request)
            try await separation.requireAccess(accountID: request.accountID, recordScope: .unspecified, resourceID: request.accountID, kind: "Balance")
            return response
        }
    }

    public func createTariff(_ request: CreateTariffRequest, context: ServerContext) async throws -> CreateTariffResponse {
        try await status { try await operations.createTariff(request) }
    }

    public func getTariff(_ request: GetTariffRequest, context: ServerContext) async throws -> GetTariffResponse {
        try await status { try await operations.getTariff(request) }
    }

    public func listTariffs(_ request: ListTariffsRequest, context: ServerContext) async throws -> ListTariffsResponse {
        try await status { try await operations.listTariffs(request) }
    }

    public func calculateBill(_ request: CalculateBillRequest, context: ServerContext) async throws -> CalculateBillResponse {
        try await status { try await operations.calculateBill(request) }
    }

    public func issueBill(_ request: IssueBillRequest, context: ServerContext) async throws -> IssueBillResponse {
        try await status { try await operations.issueBill(request) }
    }

    public func getBill(_ request: GetBillRequest, context: ServerContext) async throws -> GetBillResponse {
        try await status {
            let response = try await operations.getBill(request)
            if let bill = response.bill {
                try await separation.requireAccess(accountID: bill.accountID, recordScope: bill.regulatoryScope, resourceID: bill.billID, kind: "Bill")
            }
            return response
        }
    }

    public func listBills(_ request: ListBillsRequest, context: ServerContext) async throws -> ListBillsResponse {
        try await status {
            let response = try await operations.listBills(request)
            let visible = try await separation.allowsList(
                accountID: request.accountID, recordScopes: response.bills.map(\.regulatoryScope), count: response.bills.count, kind: "Bill")
            return visible ? response : ListBillsResponse()
        }
    }

    public func createRegulatoryFiling(_ request: CreateRegulatoryFilingRequest, context: ServerContext) async throws -> CreateRegulatoryFilingResponse {
        try await status { try await operations.createRegulatoryFiling(request) }
    }

    public func getRegulatoryFiling(_ request: GetRegulatoryFilingRequest, context: ServerContext) async throws -> GetRegulatoryFilingResponse {
        try await status { try await operations.getRegulatoryFiling(request) }
    }

    public func listRegulatoryFilings(_ request: ListRegulatoryFilingsRequest, context: ServerContext) async throws -> ListRegulatoryFilingsResponse {
        try await status { try await operations.listRegulatoryFilings(request) }
    }

    public func transitionFilingStatus(_ request: TransitionFilingStatusRequest, context: ServerContext) async throws -> TransitionFilingStatusResponse {
        try await status { try await operations.transitionFilingStatus(request) }
    }

    public func createComplianceRecord(_ request: CreateComplianceRecordRequest, context: ServerContext) async throws -> CreateComplianceRecordResponse {
        try await status { try await operations.createComplianceRecord(request) }
    }

    public func getComplianceRecord(_ request: GetComplianceRecordRequest, context: ServerContext) async throws -> GetComplianceRecordResponse {
        try await status { try await operations.getComplianceRecord(request) }
    }

    public func updateComplianceRecord(_ request: UpdateComplianceRecordRequest, context: ServerContext) async throws -> UpdateComplianceRecordResponse {
        try await status { try await operations.updateComplianceRecord(request) }
    }

    public func listComplianceRecords(_ request: ListComplianceRecordsRequest, context: ServerContext) async throws -> ListComplianceRecordsResponse {
        try await status { try await operations.listComplianceRecords(request) }
    }

    public func linkComplianceRecord(_ request: LinkComplianceRecordRequest, context: ServerContext) async throws -> LinkComplianceRecordResponse {
        try await status { try await operations.linkComplianceRecord(request) }
    }

    public func unlinkComplianceRecord(_ request: UnlinkComplianceRecordRequest, context: ServerContext) async throws -> UnlinkComplianceRecordResponse {
        try await status { try await operations.unlinkComplianceRecord(request) }
    }

    public func recordCostAllocation(_ request: RecordCostAllocationRequest, context: ServerContext) async throws -> RecordCostAllocationResponse {
        try await status { try await operations.recordCostAllocation(request) }
    }

    public func listCostAllocations(_ request: ListCostAllocationsRequest, context: ServerContext) async throws -> ListCostAllocationsResponse {
        try await status { try await operations.listCostAllocations(request) }
    }

    public func getCostAllocationReport(_ request: GetCostAllocationReportRequest, context: ServerContext) async throws -> GetCostAllocationReportResponse {
        try await status { try await operations.getCostAllocationReport(request) }
    }

    public func recordBudgetLine(_ request: RecordBudgetLineRequest, context: ServerContext) async throws -> RecordBudgetLineResponse {
        try await status { try await operations.recordBudgetLine(request) }
    }

    public func listBudgetLines(_ request: ListBudgetLinesRequest, context: ServerContext) async throws -> ListBudgetLinesResponse {
        try await status { try await operations.listBudgetLines(request) }
    }

    public func compareBudget(_ request: CompareBudgetRequest, context: ServerContext) async throws -> CompareBudgetResponse {
        try await status { try await operations.compareBudget(request) }
    }

    public func listAuditRecords(_ request: QuantumTypes.ListAuditRecordsRequest, context: ServerContext) async throws -> QuantumTypes.ListAuditRecordsResponse {
        try await status {
            try AuditTrailAccess.requireReader()
            return try await operations.listAuditRecords(request)
        }
    }

    /// Runs one call; errors become the caller's status (ServiceKit `HandlerStatus`).
    private func status<Response>(_ body: () async throws -> Response) async throws(RPCError) -> Response {
        try await HandlerStatus.run(body)
    }
}
