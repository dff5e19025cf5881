import CustomerAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

extension CustomerOperations {
    static let opportunityFilter = FilterSchema([
        "stage": .enumEquals("stage", OpportunityStage.self),
        "product_id": .textEquals("product_id"),
        "customer_id": .textEquals("customer_id"),
        "campaign_id": .textEquals("campaign_id"),
        "owner": .textEquals("owner"),
    ])

    public func createSalesOpportunity(_ request: CreateSalesOpportunityRequest) async throws -> CreateSalesOpportunityResponse {
        let now = clock.timestamp()
        let opportunity = try OpportunityRules.forCreate(
            try required(request.opportunity, "opportunity"), id: ids.make(prefix: "OPP"), now: now)
        return try await store.idempotentWrite(request, requestID: \.requestID, method: "CreateSalesOpportunity") { tx in
            try checkOpportunityReferences(opportunity, tx, now: now)
            try Tables.opportunities.insert(opportunity.opportunityID, opportunity, tx)
            return .with { $0.opportunity = opportunity }
        }
    }

    public func getSalesOpportunity(_ request: GetSalesOpportunityRequest) async throws -> GetSalesOpportunityResponse {
        try Check.id(request.opportunityID, prefix: "OPP", "opportunity_id")
        let opportunity = try await store.read { db in try Tables.opportunities.require(request.opportunityID, db) }
        return .with { $0.opportunity = opportunity }
    }

    public func updateSalesOpportunity(_ request: UpdateSalesOpportunityRequest) async throws -> UpdateSalesOpportunityResponse {
        let patch = try required(request.opportunity, "opportunity")
        try Check.id(patch.opportunityID, prefix: "OPP", "opportunity.opportunity_id")
        try OpportunityRules.updateMask.check(request.updateMask)
        let now = clock.timestamp()
        let opportunity = try await store.write { tx in
            let current = try Tables.opportunities.require(patch.opportunityID, tx)
            let updated = try OpportunityRules.updated(current, patch: patch, mask: request.updateMask, now: now)
            if updated.productID != current.productID || updated.campaignID != current.campaignID {
                try checkOpportunityReferences(updated, tx, now: now, checkParty: false)
            }
            try Tables.opportunities.update(updated.opportunityID, updated, tx)
            return updated
        }
        return .with { $0.opportunity = opportunity }
    }

    public func listSalesOpportunities(_ request: ListSalesOpportunitiesRequest) async throws -> ListSalesOpportunitiesResponse {
        let order: ListOrder
        switch request.orderBy.trimmingCharacters(in: .whitespaces) {
        case "": order = .byID
        case "expected_close_date": order = .by("expected_close", .integer)
        case "create_time": order = .by("create_ms", .integer)
        case "create_time desc": order = .by("create_ms", .integer, descending: true)
        default:
            throw DomainError.invalid("order_by '\(request.orderBy)' is not one of: expected_close_date, create_time, create_time desc")
        }
        let page = try await listPage(
            Tables.opportunities, method: "ListSalesOpportunities", fields: ["filter": request.filter, "order_by": request.orderBy],
            pageSize: request.pageSize, pageToken: request.pageToken,
            where: try Self.opportunityFilter.conditions(for: request.filter), order: order)
        return .with {
            $0.opportunities = page.items
            $0.nextPageToken = page.nextPageToken
        }
    }

    public func deleteSalesOpportunity(_ request: DeleteSalesOpportunityRequest) async throws -> DeleteSalesOpportunityResponse {
        try Check.id(request.opportunityID, prefix: "OPP", "opportunity_id")
        try await store.write { tx in
            guard try Tables.opportunities.delete(request.opportunityID, tx) else {
                throw DomainError.notFound("opportunity", request.opportunityID)
            }
        }
        return DeleteSalesOpportunityResponse()
    }

    public func transitionOpportunityStage(_ request: TransitionOpportunityStageRequest) async throws -> TransitionOpportunityStageResponse {
        try Check.id(request.opportunityID, prefix: "OPP", "opportunity_id")
        try Check.specified(request.toStage, "to_stage")
        let now = clock.timestamp()
        let opportunity = try await store.write { tx in
            let current = try Tables.opportunities.require(request.opportunityID, tx)
            guard let moved = try OpportunityRules.transitioned(current, to: request.toStage, reason: request.reason, now: now) else {
                return current
            }
            try Tables.opportunities.update(moved.opportunityID, moved, tx)
            return moved
        }
        return .with { $0.opportunity = opportunity }
    }

    /// The product must exist and be non-regulated; a campaign, if named, must exist; a
    /// customer party must exist and be one the non-regulated business may approach.
    func checkOpportunityReferences(_ opportunity: SalesOpportunity, _ db: any StoreReading, now: Timestamp, checkParty: Bool = true) throws {
        let product = try Tables.products.require(opportunity.productID, db, referencedAs: "opportunity.product_id")
        try OpportunityRules.checkSellable(product)
        if !opportunity.campaignID.isEmpty, try !Tables.campaigns.exists(opportunity.campaignID, db) {
            throw DomainError.precondition("opportunity.campaign_id '\(opportunity.campaignID)' does not exist: no such campaign")
        }
        guard checkParty, case .customerID(let customerID) = opportunity.party else { return }
        let customer = try Tables.customers.require(customerID, db, referencedAs: "opportunity.customer_id")
        let consents = try contactConsentsForNonRegulated(db, customerID: customerID, now: now)[customerID] ?? []
        guard AudienceEligibility.decide(relationshipScopes: customer.relationshipScopes, consents: consents, now: now) != nil else {
            throw DomainError.precondition(
                "customer '\(customerID)' is not a non-regulated customer and has no active consent for the non-regulated "
                    + "business to use contact details")
        }
    }
}
