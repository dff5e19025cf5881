import CustomerAPI
import ProtoRuntime
import QuantumTypes

/// What a marketing campaign must look like (its references are checked against the store).
public enum CampaignRules {
    public static func validate(_ campaign: MarketingCampaign) throws(DomainError) {
        try Check.required(campaign.displayName, "campaign.display_name")
        try Check.id(campaign.segmentID, prefix: "SEG", "campaign.segment_id")
        guard campaign.productIDs.count <= 100 else { throw .invalid("campaign.product_ids lists more than 100 products") }
        for id in campaign.productIDs { try Check.id(id, prefix: "PRD", "campaign.product_ids") }
        try Check.known(campaign.channel, "campaign.channel")
        try Check.known(campaign.status, "campaign.status")
        try Check.money(campaign.budget, "campaign.budget")
        if let period = campaign.period {
            try Check.date(period.startDate, "campaign.period.start_date")
            try Check.date(period.endDate, "campaign.period.end_date")
            if let start = period.startDate, let end = period.endDate, end.ordinal < start.ordinal {
                throw .invalid("campaign.period.end_date \(end.text) is before start_date \(start.text)")
            }
        }
    }

    /// Campaigns promote non-regulated products only.
    public static func checkPromotable(_ product: Product) throws(DomainError) {
        guard product.regulatoryScope == .nonRegulated else {
            throw .precondition(
                "product '\(product.productID)' is \(EnumNames.describe(product.regulatoryScope)); campaigns promote NON_REGULATED products only")
        }
    }

    public static func forCreate(_ requested: MarketingCampaign, id: String, now: Timestamp) throws(DomainError) -> MarketingCampaign {
        var campaign = requested
        campaign.campaignID = id
        if campaign.status == .unspecified { campaign.status = .draft }
        campaign.createTime = now
        campaign.updateTime = now
        try validate(campaign)
        return campaign
    }

    public static func updated(
        _ current: MarketingCampaign, patch: MarketingCampaign, mask: FieldMask?, now: Timestamp
    ) throws(DomainError) -> MarketingCampaign {
        var campaign = try updateMask.apply(mask, from: patch, to: current)
        guard campaign.status != .unspecified else { throw .invalid("campaign.status cannot be cleared") }
        campaign.updateTime = now
        try validate(campaign)
        return campaign
    }

    public static let updateMask = FieldMaskPolicy<MarketingCampaign>(
        resourceName: "MarketingCampaign",
        updatable: [
            "display_name": { $0.displayName = $1.displayName },
            "segment_id": { $0.segmentID = $1.segmentID },
            "product_ids": { $0.productIDs = $1.productIDs },
            "channel": { $0.channel = $1.channel },
            "period": { $0.period = $1.period },
            "budget": { $0.budget = $1.budget },
            "status": { $0.status = $1.status },
        ],
        outputOnly: ["campaign_id", "create_time", "update_time"])
}
