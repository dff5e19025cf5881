import CustomerAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

extension CustomerOperations {
    static let campaignFilter = FilterSchema([
        "status": .enumEquals("status", CampaignStatus.self),
        "segment_id": .textEquals("segment_id"),
    ])

    public func createMarketingCampaign(_ request: CreateMarketingCampaignRequest) async throws -> CreateMarketingCampaignResponse {
        let campaign = try CampaignRules.forCreate(
            try required(request.campaign, "campaign"), id: ids.make(prefix: "CMP"), now: clock.timestamp())
        return try await store.idempotentWrite(request, requestID: \.requestID, method: "CreateMarketingCampaign") { tx in
            try Self.checkCampaignReferences(campaign, tx)
            try Tables.campaigns.insert(campaign.campaignID, campaign, tx)
            return .with { $0.campaign = campaign }
        }
    }

    public func getMarketingCampaign(_ request: GetMarketingCampaignRequest) async throws -> GetMarketingCampaignResponse {
        try Check.id(request.campaignID, prefix: "CMP", "campaign_id")
        let campaign = try await store.read { db in try Tables.campaigns.require(request.campaignID, db) }
        return .with { $0.campaign = campaign }
    }

    public func updateMarketingCampaign(_ request: UpdateMarketingCampaignRequest) async throws -> UpdateMarketingCampaignResponse {
        let patch = try required(request.campaign, "campaign")
        try Check.id(patch.campaignID, prefix: "CMP", "campaign.campaign_id")
        try CampaignRules.updateMask.check(request.updateMask)
        let now = clock.timestamp()
        let campaign = try await store.write { tx in
            let current = try Tables.campaigns.require(patch.campaignID, tx)
            let updated = try CampaignRules.updated(current, patch: patch, mask: request.updateMask, now: now)
            try Self.checkCampaignReferences(updated, tx)
            try Tables.campaigns.update(updated.campaignID, updated, tx)
            return updated
        }
        return .with { $0.campaign = campaign }
    }

    public func listMarketingCampaigns(_ request: ListMarketingCampaignsRequest) async throws -> ListMarketingCampaignsResponse {
        let page = try await listPage(
            Tables.campaigns, method: "ListMarketingCampaigns", fields: ["filter": request.filter],
            pageSize: request.pageSize, pageToken: request.pageToken, where: try Self.campaignFilter.conditions(for: request.filter))
        return .with {
            $0.campaigns = page.items
            $0.nextPageToken = page.nextPageToken
        }
    }

    public func deleteMarketingCampaign(_ request: DeleteMarketingCampaignRequest) async throws -> DeleteMarketingCampaignResponse {
        try Check.id(request.campaignID, prefix: "CMP", "campaign_id")
        try await store.write { tx in
            guard try Tables.campaigns.delete(request.campaignID, tx) else {
                throw DomainError.notFound("campaign", request.campaignID)
            }
        }
        return DeleteMarketingCampaignResponse()
    }

    /// The segment's members the campaign may approach (see `AudienceEligibility`), by
    /// customer id. Every member is evaluated on every page so `excluded_count` is exact; the
    /// cost is one pass over the segment per page, which suits segments up to ~10^5 customers.
    public func listCampaignAudience(_ request: ListCampaignAudienceRequest) async throws -> ListCampaignAudienceResponse {
        try Check.id(request.campaignID, prefix: "CMP", "campaign_id")
        let page = try PageRequest(
            method: "ListCampaignAudience", fields: ["campaign_id": request.campaignID],
            pageSize: request.pageSize, pageToken: request.pageToken, codec: pages)
        guard page.cursor == nil || page.cursor?.count == 1 else {
            throw DomainError.invalid("page_token does not fit this list; start again without it")
        }
        let after = page.cursor?.first ?? ""
        let now = clock.timestamp()
        let (members, excluded, more) = try await store.read { db in
            let campaign = try Tables.campaigns.require(request.campaignID, db)
            let segment = try Tables.segments.require(campaign.segmentID, db, referencedAs: "campaign.segment_id")
            let consents = try contactConsentsForNonRegulated(db, customerID: nil, now: now)
            let membership = SegmentMembership.condition(segment.criteria)
            var members: [CampaignAudienceMember] = []
            var excluded: Int64 = 0
            var more = false
            try db.forEachRow(
                "SELECT id, relationship_mask FROM customers WHERE \(membership.sql) ORDER BY id", parameters: membership.parameters
            ) { row in
                let id: String = try row["id"]
                let mask = try row.get(1, as: Int64.self)
                let scopes = RegulatoryScope.knownCases.filter { $0 != .unspecified && ColumnEncoding.bitmask([$0]) & mask != 0 }
                guard let decision = AudienceEligibility.decide(relationshipScopes: scopes, consents: consents[id] ?? [], now: now) else {
                    excluded += 1
                    return true
                }
                guard id > after else { return true }
                if members.count == page.size {
                    more = true
                } else {
                    members.append(.with {
                        $0.customerID = id
                        $0.basis = decision.basis
                        $0.consentID = decision.consentID
                    })
                }
                return true
            }
            return (members, excluded, more)
        }
        return .with {
            $0.members = members
            $0.excludedCount = excluded
            $0.nextPageToken = more ? pages.makeToken(cursor: [members.last?.customerID ?? after], for: page.query) : ""
        }
    }

    /// A campaign's segment must exist, and each product must exist and be non-regulated.
    static func checkCampaignReferences(_ campaign: MarketingCampaign, _ db: any StoreReading) throws {
        guard try Tables.segments.exists(campaign.segmentID, db) else {
            throw DomainError.precondition("campaign.segment_id '\(campaign.segmentID)' does not exist: no such segment")
        }
        for productID in campaign.productIDs {
            let product = try Tables.products.require(productID, db, referencedAs: "campaign.product_ids")
            try CampaignRules.checkPromotable(product)
        }
    }
}
