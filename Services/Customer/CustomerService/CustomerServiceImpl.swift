import CustomerAPI
import CustomerDomain
import MeshAuth
import QuantumTypes
import RPCCore
import ServiceKit

/// `quantum.customer.v1.CustomerService` over gRPC: every method hands its request to
/// `CustomerOperations` (the rules and the store) and turns what it throws into a status.
/// Nothing else happens here, so the domain is tested without sockets and this stays thin.
///
/// Reads pass through `CustomerSeparation` (issue 11), which applies the separation policy for
/// the call's `Caller` (authentication on) and writes the audit trail.
public struct CustomerServiceImpl: CustomerServiceHandler {
    let operations: CustomerOperations
    /// The separation policy on reads, when the call has a caller (authentication on).
    let separation: CustomerSeparation

    /// - Parameter audit: where separation decisions are recorded; default: the store's audit trail.
    public init(operations: CustomerOperations, audit: AuditTrail? = nil) {
        self.operations = operations
        self.separation = CustomerSeparation(operations: operations, audit: audit ?? operations.auditTrail)
    }

    public func createCustomer(_ request: CreateCustomerRequest, context: ServerContext) async throws -> CreateCustomerResponse {
        try await status { try await operations.createCustomer(request) }
    }

    public func getCustomer(_ request: GetCustomerRequest, context: ServerContext) async throws -> GetCustomerResponse {
        try await status { try await separation.customer(try await operations.getCustomer(request)) }
    }

    public func getCustomerSummary(_ request: GetCustomerSummaryRequest, context: ServerContext) async throws -> GetCustomerSummaryResponse {
        try await status { try await separation.summary(try await operations.getCustomerSummary(request)) }
    }

    public func batchGetCustomers(_ request: BatchGetCustomersRequest, context: ServerContext) async throws -> BatchGetCustomersResponse {
        try await status { try await separation.customers(try await operations.batchGetCustomers(request)) }
    }

    public func updateCustomer(_ request: UpdateCustomerRequest, context: ServerContext) async throws -> UpdateCustomerResponse {
        try await status { try await operations.updateCustomer(request) }
    }

    public func listCustomers(_ request: ListCustomersRequest, context: ServerContext) async throws -> ListCustomersResponse {
        try await status { try await separation.customers(try await operations.listCustomers(request), filter: request.filter) }
    }

    public func createCustomerAccount(_ request: CreateCustomerAccountRequest, context: ServerContext) async throws -> CreateCustomerAccountResponse {
        try await status { try await operations.createCustomerAccount(request) }
    }

    public func getCustomerAccount(_ request: GetCustomerAccountRequest, context: ServerContext) async throws -> GetCustomerAccountResponse {
        try await status { try await separation.account(try await operations.getCustomerAccount(request)) }
    }

    public func updateCustomerAccount(_ request: UpdateCustomerAccountRequest, context: ServerContext) async throws -> UpdateCustomerAccountResponse {
        try await status { try await operations.updateCustomerAccount(request) }
    }

    public func listCustomerAccounts(_ request: ListCustomerAccountsRequest, context: ServerContext) async throws -> ListCustomerAccountsResponse {
        try await status { try await separation.accounts(try await operations.listCustomerAccounts(request)) }
    }

    public func closeCustomerAccount(_ request: CloseCustomerAccountRequest, context: ServerContext) async throws -> CloseCustomerAccountResponse {
        try await status { try await operations.closeCustomerAccount(request) }
    }

    public func createPremise(_ request: CreatePremiseRequest, context: ServerContext) async throws -> CreatePremiseResponse {
        try await status { try await operations.createPremise(request) }
    }

    public func getPremise(_ request: GetPremiseRequest, context: ServerContext) async throws -> GetPremiseResponse {
        try await status { try await operations.getPremise(request) }
    }

    public func batchGetPremises(_ request: BatchGetPremisesRequest, context: ServerContext) async throws -> BatchGetPremisesResponse {
        try await status { try await operations.batchGetPremises(request) }
    }

    public func updatePremise(_ request: UpdatePremiseRequest, context: ServerContext) async throws -> UpdatePremiseResponse {
        try await status { try await operations.updatePremise(request) }
    }

    public func listPremises(_ request: ListPremisesRequest, context: ServerContext) async throws -> ListPremisesResponse {
        try await status { try await operations.listPremises(request) }
    }

    public func createServiceAgreement(_ request: CreateServiceAgreementRequest, context: ServerContext) async throws -> CreateServiceAgreementResponse {
        try await status { try await operations.createServiceAgreement(request) }
    }

    public func getServiceAgreement(_ request: GetServiceAgreementRequest, context: ServerContext) async throws -> GetServiceAgreementResponse {
        try await status { try await separation.agreement(try await operations.getServiceAgreement(request)) }
    }

    public func updateServiceAgreement(_ request: UpdateServiceAgreementRequest, context: ServerContext) async throws -> UpdateServiceAgreementResponse {
        try await status { try await operations.updateServiceAgreement(request) }
    }

    public func listServiceAgreements(_ request: ListServiceAgreementsRequest, context: ServerContext) async throws -> ListServiceAgreementsResponse {
        try await status { try await separation.agreements(try await operations.listServiceAgreements(request)) }
    }

    public func terminateServiceAgreement(_ request: TerminateServiceAgreementRequest, context: ServerContext) async throws -> TerminateServiceAgreementResponse {
        try await status { try await operations.terminateServiceAgreement(request) }
    }

    public func createProduct(_ request: CreateProductRequest, context: ServerContext) async throws -> CreateProductResponse {
        try await status { try await operations.createProduct(request) }
    }

    public func getProduct(_ request: GetProductRequest, context: ServerContext) async throws -> GetProductResponse {
        try await status { try await operations.getProduct(request) }
    }

    public func batchGetProducts(_ request: BatchGetProductsRequest, context: ServerContext) async throws -> BatchGetProductsResponse {
        try await status { try await operations.batchGetProducts(request) }
    }

    public func updateProduct(_ request: UpdateProductRequest, context: ServerContext) async throws -> UpdateProductResponse {
        try await status { try await operations.updateProduct(request) }
    }

    public func listProducts(_ request: ListProductsRequest, context: ServerContext) async throws -> ListProductsResponse {
        try await status { try await operations.listProducts(request) }
    }

    public func createInteraction(_ request: CreateInteractionRequest, context: ServerContext) async throws -> CreateInteractionResponse {
        try await status { try await operations.createInteraction(request) }
    }

    public func getInteraction(_ request: GetInteractionRequest, context: ServerContext) async throws -> GetInteractionResponse {
        try await status { try await separation.interaction(try await operations.getInteraction(request)) }
    }

    public func listInteractions(_ request: ListInteractionsRequest, context: ServerContext) async throws -> ListInteractionsResponse {
        try await status { try await separation.interactions(try await operations.listInteractions(request)) }
    }

    public func grantConsent(_ request: GrantConsentRequest, context: ServerContext) async throws -> GrantConsentResponse {
        try await status {
            try await separation.requireMayGrant(request)
            return try await operations.grantConsent(request)
        }
    }

    public func revokeConsent(_ request: RevokeConsentRequest, context: ServerContext) async throws -> RevokeConsentResponse {
        try await status { try await operations.revokeConsent(request) }
    }

    public func getConsent(_ request: GetConsentRequest, context: ServerContext) async throws -> GetConsentResponse {
        try await status { try await operations.getConsent(request) }
    }

    public func listConsents(_ request: ListConsentsRequest, context: ServerContext) async throws -> ListConsentsResponse {
        try await status { try await operations.listConsents(request) }
    }

    public func countCustomersServed(_ request: CountCustomersServedRequest, context: ServerContext) async throws -> CountCustomersServedResponse {
        try await status { try await operations.countCustomersServed(request) }
    }

    public func createMarketSegment(_ request: CreateMarketSegmentRequest, context: ServerContext) async throws -> CreateMarketSegmentResponse {
        try await status { try await operations.createMarketSegment(request) }
    }

    public func getMarketSegment(_ request: GetMarketSegmentRequest, context: ServerContext) async throws -> GetMarketSegmentResponse {
        try await status { try await operations.getMarketSegment(request) }
    }

    public func updateMarketSegment(_ request: UpdateMarketSegmentRequest, context: ServerContext) async throws -> UpdateMarketSegmentResponse {
        try await status { try await operations.updateMarketSegment(request) }
    }

    public func listMarketSegments(_ request: ListMarketSegmentsRequest, context: ServerContext) async throws -> ListMarketSegmentsResponse {
        try await status { try await operations.listMarketSegments(request) }
    }

    public func deleteMarketSegment(_ request: DeleteMarketSegmentRequest, context: ServerContext) async throws -> DeleteMarketSegmentResponse {
        try await status { try await operations.deleteMarketSegment(request) }
    }

    public func createMarketingCampaign(_ request: CreateMarketingCampaignRequest, context: ServerContext) async throws -> CreateMarketingCampaignResponse {
        try await status { try await operations.createMarketingCampaign(request) }
    }

    public func getMarketingCampaign(_ request: GetMarketingCampaignRequest, context: ServerContext) async throws -> GetMarketingCampaignResponse {
        try await status { try await operations.getMarketingCampaign(request) }
    }

    public func updateMarketingCampaign(_ request: UpdateMarketingCampaignRequest, context: ServerContext) async throws -> UpdateMarketingCampaignResponse {
        try await status { try await operations.updateMarketingCampaign(request) }
    }

    public func listMarketingCampaigns(_ request: ListMarketingCampaignsRequest, context: ServerContext) async throws -> ListMarketingCampaignsResponse {
        try await status { try await operations.listMarketingCampaigns(request) }
    }

    public func deleteMarketingCampaign(_ request: DeleteMarketingCampaignRequest, context: ServerContext) async throws -> DeleteMarketingCampaignResponse {
        try await status { try await operations.deleteMarketingCampaign(request) }
    }

    public func listCampaignAudience(_ request: ListCampaignAudienceRequest, context: ServerContext) async throws -> ListCampaignAudienceResponse {
        try await status { try await operations.listCampaignAudience(request) }
    }

    public func createSalesOpportunity(_ request: CreateSalesOpportunityRequest, context: ServerContext) async throws -> CreateSalesOpportunityResponse {
        try await status { try await operations.createSalesOpportunity(request) }
    }

    public func getSalesOpportunity(_ request: GetSalesOpportunityRequest, context: ServerContext) async throws -> GetSalesOpportunityResponse {
        try await status { try await operations.getSalesOpportunity(request) }
    }

    public func updateSalesOpportunity(_ request: UpdateSalesOpportunityRequest, context: ServerContext) async throws -> UpdateSalesOpportunityResponse {
        try await status { try await operations.updateSalesOpportunity(request) }
    }

    public func listSalesOpportunities(_ request: ListSalesOpportunitiesRequest, context: ServerContext) async throws -> ListSalesOpportunitiesResponse {
        try await status { try await operations.listSalesOpportunities(request) }
    }

    public func deleteSalesOpportunity(_ request: DeleteSalesOpportunityRequest, context: ServerContext) async throws -> DeleteSalesOpportunityResponse {
        try await status { try await operations.deleteSalesOpportunity(request) }
    }

    public func transitionOpportunityStage(_ request: TransitionOpportunityStageRequest, context: ServerContext) async throws -> TransitionOpportunityStageResponse {
        try await status { try await operations.transitionOpportunityStage(request) }
    }

    public func createCompetitorProfile(_ request: CreateCompetitorProfileRequest, context: ServerContext) async throws -> CreateCompetitorProfileResponse {
        try await status { try await operations.createCompetitorProfile(request) }
    }

    public func getCompetitorProfile(_ request: GetCompetitorProfileRequest, context: ServerContext) async throws -> GetCompetitorProfileResponse {
        try await status { try await operations.getCompetitorProfile(request) }
    }

    public func updateCompetitorProfile(_ request: UpdateCompetitorProfileRequest, context: ServerContext) async throws -> UpdateCompetitorProfileResponse {
        try await status { try await operations.updateCompetitorProfile(request) }
    }

    public func listCompetitorProfiles(_ request: ListCompetitorProfilesRequest, context: ServerContext) async throws -> ListCompetitorProfilesResponse {
        try await status { try await operations.listCompetitorProfiles(request) }
    }

    public func deleteCompetitorProfile(_ request: DeleteCompetitorProfileRequest, context: ServerContext) async throws -> DeleteCompetitorProfileResponse {
        try await status { try await operations.deleteCompetitorProfile(request) }
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
