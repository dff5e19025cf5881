import CustomerAPI
import ProtoRuntime
import QuantumTypes

/// What a market segment must look like, and how it changes.
public enum SegmentRules {
    public static func validate(_ segment: MarketSegment) throws(DomainError) {
        try Check.required(segment.displayName, "segment.display_name")
        try Check.text(segment.summary, "segment.summary")
        guard let criteria = segment.criteria else { return }
        for (index, kind) in criteria.customerKinds.enumerated() { try Check.specified(kind, "segment.criteria.customer_kinds[\(index)]") }
        for (index, commodity) in criteria.serviceTypes.enumerated() {
            try Check.specified(commodity, "segment.criteria.service_types[\(index)]")
        }
        for (index, area) in criteria.administrativeAreas.enumerated() {
            try Check.required(area, "segment.criteria.administrative_areas[\(index)]", max: 50)
        }
        for (index, prefix) in criteria.postalCodePrefixes.enumerated() {
            try Check.required(prefix, "segment.criteria.postal_code_prefixes[\(index)]", max: 20)
        }
        guard criteria.customerKinds.count + criteria.serviceTypes.count + criteria.administrativeAreas.count
            + criteria.postalCodePrefixes.count <= 200
        else { throw .invalid("segment.criteria lists more than 200 values") }
    }

    public static func forCreate(_ requested: MarketSegment, id: String, now: Timestamp) throws(DomainError) -> MarketSegment {
        var segment = requested
        segment.segmentID = id
        segment.estimatedSize = 0
        segment.createTime = now
        segment.updateTime = now
        try validate(segment)
        return segment
    }

    public static func updated(_ current: MarketSegment, patch: MarketSegment, mask: FieldMask?, now: Timestamp) throws(DomainError)
        -> MarketSegment
    {
        var segment = try updateMask.apply(mask, from: patch, to: current)
        segment.updateTime = now
        try validate(segment)
        return segment
    }

    public static let updateMask = FieldMaskPolicy<MarketSegment>(
        resourceName: "MarketSegment",
        updatable: [
            "display_name": { $0.displayName = $1.displayName },
            "summary": { $0.summary = $1.summary },
            "criteria": { $0.criteria = $1.criteria },
        ],
        outputOnly: ["segment_id", "estimated_size", "create_time", "update_time"])
}
