import CustomerAPI
import Foundation
import ProtoRuntime
import QuantumTypes

/// What a premise must look like, and how it changes.
public enum PremiseRules {
    public static func validate(_ premise: Premise) throws(DomainError) {
        try Check.text(premise.displayName, "premise.display_name", max: Check.maxNameLength)
        try Check.address(premise.address, "premise.address", required: true)
        try Check.geoPoint(premise.location, "premise.location")
        guard !premise.serviceTypes.isEmpty else {
            throw .invalid("premise.service_types needs at least one commodity: ELECTRIC or GAS")
        }
        for (index, commodity) in premise.serviceTypes.enumerated() {
            try Check.specified(commodity, "premise.service_types[\(index)]")
        }
        guard Set(premise.serviceTypes).count == premise.serviceTypes.count else {
            throw .invalid("premise.service_types lists a commodity twice")
        }
        guard premise.timeZone.isEmpty || TimeZone(identifier: premise.timeZone) != nil else {
            throw .invalid("premise.time_zone '\(premise.timeZone)' is not an IANA time zone such as America/Los_Angeles")
        }
        try Check.optionalID(premise.servicePointAssetID, prefix: "AST", "premise.service_point_asset_id")
    }

    public static func forCreate(_ requested: Premise, id: String, now: Timestamp) throws(DomainError) -> Premise {
        var premise = requested
        premise.premiseID = id
        premise.createTime = now
        premise.updateTime = now
        try validate(premise)
        return premise
    }

    public static func updated(_ current: Premise, patch: Premise, mask: FieldMask?, now: Timestamp) throws(DomainError) -> Premise {
        var premise = try updateMask.apply(mask, from: patch, to: current)
        premise.updateTime = now
        try validate(premise)
        return premise
    }

    public static let updateMask = FieldMaskPolicy<Premise>(
        resourceName: "Premise",
        updatable: [
            "display_name": { $0.displayName = $1.displayName },
            "address": { $0.address = $1.address },
            "location": { $0.location = $1.location },
            "service_types": { $0.serviceTypes = $1.serviceTypes },
            "time_zone": { $0.timeZone = $1.timeZone },
            "service_point_asset_id": { $0.servicePointAssetID = $1.servicePointAssetID },
        ],
        outputOnly: ["premise_id", "create_time", "update_time"])
}
