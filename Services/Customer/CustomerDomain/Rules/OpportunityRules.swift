import CustomerAPI
import ProtoRuntime
import QuantumTypes

/// Sales opportunities and their pipeline: open stages move freely, CLOSED_WON and
/// CLOSED_LOST are terminal.
public enum OpportunityRules {
    public static func isClosed(_ stage: OpportunityStage) -> Bool { stage == .closedWon || stage == .closedLost }

    public static func validate(_ opportunity: SalesOpportunity) throws(DomainError) {
        switch opportunity.party {
        case nil:
            throw .invalid("opportunity needs a party: customer_id or prospect")
        case .customerID(let id):
            try Check.id(id, prefix: "CUS", "opportunity.customer_id")
        case .prospect(let prospect):
            try Check.required(prospect.displayName, "opportunity.prospect.display_name")
            guard prospect.email.isEmpty || ContactFormats.isValidEmail(prospect.email) else {
                throw .invalid("opportunity.prospect.email '\(prospect.email)' is not a valid e-mail address")
            }
            guard prospect.e164Phone.isEmpty || ContactFormats.isValidE164(prospect.e164Phone) else {
                throw .invalid("opportunity.prospect.e164_phone '\(prospect.e164Phone)' is not an E.164 number such as +14155550100")
            }
            try Check.address(prospect.address, "opportunity.prospect.address", required: false)
        }
        try Check.id(opportunity.productID, prefix: "PRD", "opportunity.product_id")
        try Check.optionalID(opportunity.campaignID, prefix: "CMP", "opportunity.campaign_id")
        try Check.known(opportunity.stage, "opportunity.stage")
        try Check.money(opportunity.estimatedValue, "opportunity.estimated_value")
        try Check.date(opportunity.expectedCloseDate, "opportunity.expected_close_date")
        try Check.text(opportunity.owner, "opportunity.owner", max: Check.maxNameLength)
        try Check.text(opportunity.notes, "opportunity.notes")
    }

    /// Opportunities sell non-regulated products only.
    public static func checkSellable(_ product: Product) throws(DomainError) {
        guard product.regulatoryScope == .nonRegulated else {
            throw .precondition(
                "product '\(product.productID)' is \(EnumNames.describe(product.regulatoryScope)); opportunities are for NON_REGULATED products only")
        }
    }

    /// A new opportunity starts in an open stage (PROSPECTING unless another is given), with
    /// that start as the first history entry.
    public static func forCreate(_ requested: SalesOpportunity, id: String, now: Timestamp) throws(DomainError) -> SalesOpportunity {
        var opportunity = requested
        opportunity.opportunityID = id
        if opportunity.stage == .unspecified { opportunity.stage = .prospecting }
        guard !isClosed(opportunity.stage) else {
            throw .invalid("opportunity.stage must be an open stage on create; close it with TransitionOpportunityStage")
        }
        opportunity.stageHistory = [.with { $0.fromStage = .unspecified; $0.toStage = opportunity.stage; $0.changeTime = now }]
        opportunity.closeTime = nil
        opportunity.createTime = now
        opportunity.updateTime = now
        try validate(opportunity)
        return opportunity
    }

    public static func updated(
        _ current: SalesOpportunity, patch: SalesOpportunity, mask: FieldMask?, now: Timestamp
    ) throws(DomainError) -> SalesOpportunity {
        var opportunity = try updateMask.apply(mask, from: patch, to: current)
        opportunity.updateTime = now
        try validate(opportunity)
        return opportunity
    }

    /// Moves to `target`: the same stage is a no-op (nil), leaving a closed stage is
    /// FAILED_PRECONDITION, UNSPECIFIED is INVALID_ARGUMENT.
    public static func transitioned(
        _ opportunity: SalesOpportunity, to target: OpportunityStage, reason: String, now: Timestamp
    ) throws(DomainError) -> SalesOpportunity? {
        try Check.specified(target, "to_stage")
        try Check.text(reason, "reason", max: Check.maxNameLength)
        guard target != opportunity.stage else { return nil }
        guard !isClosed(opportunity.stage) else {
            throw .precondition(
                "opportunity '\(opportunity.opportunityID)' is \(EnumNames.describe(opportunity.stage)), a closed stage it cannot leave")
        }
        var moved = opportunity
        moved.stageHistory.append(.with {
            $0.fromStage = opportunity.stage
            $0.toStage = target
            $0.changeTime = now
            $0.reason = reason
        })
        moved.stage = target
        if isClosed(target) { moved.closeTime = now }
        moved.updateTime = now
        return moved
    }

    public static let updateMask = FieldMaskPolicy<SalesOpportunity>(
        resourceName: "SalesOpportunity",
        updatable: [
            "product_id": { $0.productID = $1.productID },
            "estimated_value": { $0.estimatedValue = $1.estimatedValue },
            "expected_close_date": { $0.expectedCloseDate = $1.expectedCloseDate },
            "campaign_id": { $0.campaignID = $1.campaignID },
            "owner": { $0.owner = $1.owner },
            "notes": { $0.notes = $1.notes },
        ],
        outputOnly: ["opportunity_id", "stage_history", "close_time", "create_time", "update_time"],
        immutable: [
            "stage": "use TransitionOpportunityStage",
            "customer_id": "create a new opportunity for another party",
            "prospect": "create a new opportunity for another party",
        ])
}
