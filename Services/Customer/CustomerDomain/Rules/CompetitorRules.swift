import CustomerAPI
import ProtoRuntime
import QuantumTypes

/// What a competitor profile must look like, and how it changes.
public enum CompetitorRules {
    public static func validate(_ competitor: CompetitorProfile) throws(DomainError) {
        try Check.required(competitor.displayName, "competitor.display_name")
        guard competitor.websiteURI.isEmpty || ContactFormats.isValidWebURI(competitor.websiteURI) else {
            throw .invalid("competitor.website_uri '\(competitor.websiteURI)' is not an http(s) URL")
        }
        for (index, market) in competitor.markets.enumerated() {
            try Check.required(market, "competitor.markets[\(index)]", max: 50)
            guard !market.contains("\n") else { throw .invalid("competitor.markets[\(index)] must be one line") }
        }
        for (index, offering) in competitor.offerings.enumerated() {
            try Check.required(offering.offeringName, "competitor.offerings[\(index)].offering_name")
            try Check.known(offering.category, "competitor.offerings[\(index)].category")
            try Check.money(offering.price, "competitor.offerings[\(index)].price")
            try Check.text(offering.pricingNotes, "competitor.offerings[\(index)].pricing_notes")
        }
        try Check.text(competitor.pricingNotes, "competitor.pricing_notes")
        try Check.text(competitor.notes, "competitor.notes")
    }

    public static func forCreate(_ requested: CompetitorProfile, id: String, now: Timestamp) throws(DomainError) -> CompetitorProfile {
        var competitor = requested
        competitor.competitorID = id
        competitor.createTime = now
        competitor.updateTime = now
        try validate(competitor)
        return competitor
    }

    public static func updated(
        _ current: CompetitorProfile, patch: CompetitorProfile, mask: FieldMask?, now: Timestamp
    ) throws(DomainError) -> CompetitorProfile {
        var competitor = try updateMask.apply(mask, from: patch, to: current)
        competitor.updateTime = now
        try validate(competitor)
        return competitor
    }

    public static let updateMask = FieldMaskPolicy<CompetitorProfile>(
        resourceName: "CompetitorProfile",
        updatable: [
            "display_name": { $0.displayName = $1.displayName },
            "website_uri": { $0.websiteURI = $1.websiteURI },
            "markets": { $0.markets = $1.markets },
            "offerings": { $0.offerings = $1.offerings },
            "pricing_notes": { $0.pricingNotes = $1.pricingNotes },
            "notes": { $0.notes = $1.notes },
        ],
        outputOnly: ["competitor_id", "create_time", "update_time"])
}
