import AssetAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit

/// What makes an asset valid, and how create and update shape it.
public enum AssetRules {
    /// A new asset: required fields checked, output-only fields set by us; the parent is only
    /// ever set by SetParent, so it starts as a root.
    public static func forCreate(_ input: Asset, id: String, now: Timestamp) throws(RPCError) -> Asset {
        var asset = input
        asset.assetID = id
        asset.parentAssetID = ""
        asset.createTime = now
        asset.updateTime = now
        if asset.status == .unspecified { asset.status = .planned }
        try check(asset, field: "asset")
        return asset
    }

    /// `current` with the masked fields taken from `patch`, then checked as a whole.
    public static func updated(_ current: Asset, patch: Asset, mask: FieldMask?, now: Timestamp) throws(RPCError) -> Asset {
        var asset = current
        for path in try paths(of: mask) {
            guard let copy = updatable[path] else { throw unknownPath(path) }
            copy(&asset, patch)
        }
        if current.status == .retired && asset.status != .retired {
            throw Fail.precondition("asset '\(current.assetID)' is RETIRED (terminal); its status cannot change to \(asset.status.protoName ?? "\(asset.status.rawValue)")")
        }
        try check(asset, field: "asset")
        asset.updateTime = now
        return asset
    }

    /// Checks the mask before any store access (so a bad mask costs nothing).
    public static func paths(of mask: FieldMask?) throws(RPCError) -> [String] {
        guard let mask, !mask.paths.isEmpty else {
            throw Fail.invalid("update_mask is required: name the fields to change, e.g. status, display_name, attributes.capacity")
        }
        for path in mask.paths where updatable[path] == nil { throw unknownPath(path) }
        return mask.paths
    }

    static func check(_ asset: Asset, field: String) throws(RPCError) {
        try Check.required(asset.displayName, "\(field).display_name")
        try Check.specified(asset.assetType, "\(field).asset_type")
        try Check.specified(asset.assetClass, "\(field).asset_class")
        try Check.specified(asset.regulatoryScope, "\(field).regulatory_scope")
        try Check.known(asset.commodity, "\(field).commodity")
        try Check.known(asset.status, "\(field).status")
        try Check.optionalID(asset.premiseID, prefix: "PRM", "\(field).premise_id")
        try Check.point(asset.location?.point, "\(field).location.point")
        if let attributes = asset.attributes {
            try Check.text(attributes.manufacturer, "\(field).attributes.manufacturer", max: Check.maxNameLength)
            try Check.text(attributes.model, "\(field).attributes.model", max: Check.maxNameLength)
            try Check.text(attributes.serialNumber, "\(field).attributes.serial_number", max: Check.maxNameLength)
            try Check.date(attributes.installationDate, "\(field).attributes.installation_date")
            if let capacity = attributes.capacity { try Check.known(capacity.unit, "\(field).attributes.capacity.unit") }
        }
        if asset.assetClass == .customerSited && asset.regulatoryScope != .nonRegulated {
            throw Fail.invalid("\(field).regulatory_scope must be NON_REGULATED for a CUSTOMER_SITED asset")
        }
        if asset.customerProduct != nil && asset.assetClass != .customerSited {
            throw Fail.invalid("\(field).customer_product is only for CUSTOMER_SITED assets")
        }
        if let product = asset.customerProduct {
            try Check.optionalID(product.productID, prefix: "PRD", "\(field).customer_product.product_id")
            try Check.optionalID(product.agreementID, prefix: "AGR", "\(field).customer_product.agreement_id")
            if let warranty = product.warranty {
                try Check.date(warranty.startDate, "\(field).customer_product.warranty.start_date")
                try Check.date(warranty.endDate, "\(field).customer_product.warranty.end_date")
                if let start = warranty.startDate, let end = warranty.endDate, TimeColumns.ordinal(end) < TimeColumns.ordinal(start) {
                    throw Fail.invalid("\(field).customer_product.warranty.end_date is before its start_date")
                }
            }
        }
    }

    private static func unknownPath(_ path: String) -> RPCError {
        switch path {
        case "parent_asset_id": Fail.invalid("update_mask path 'parent_asset_id' cannot be updated here: use SetParent")
        case "asset_id", "create_time", "update_time": Fail.invalid("update_mask path '\(path)' is output only and cannot be set")
        default:
            Fail.invalid("update_mask path '\(path)' is not an updatable field of asset; updatable: \(updatable.keys.sorted().joined(separator: ", "))")
        }
    }

    typealias Copy = @Sendable (inout Asset, Asset) -> Void

    private static func attribute(_ copy: @escaping @Sendable (inout AssetAttributes, AssetAttributes) -> Void) -> Copy {
        { target, source in
            var attributes = target.attributes ?? AssetAttributes()
            copy(&attributes, source.attributes ?? AssetAttributes())
            target.attributes = attributes
        }
    }

    static let updatable: [String: Copy] = [
        "display_name": { $0.displayName = $1.displayName },
        "asset_type": { $0.assetType = $1.assetType },
        "asset_class": { $0.assetClass = $1.assetClass },
        "commodity": { $0.commodity = $1.commodity },
        "location": { $0.location = $1.location },
        "location.point": { target, source in
            var location = target.location ?? AssetLocation()
            location.point = source.location?.point
            target.location = location
        },
        "location.service_address": { target, source in
            var location = target.location ?? AssetLocation()
            location.serviceAddress = source.location?.serviceAddress
            target.location = location
        },
        "attributes": { $0.attributes = $1.attributes },
        "attributes.manufacturer": attribute { $0.manufacturer = $1.manufacturer },
        "attributes.model": attribute { $0.model = $1.model },
        "attributes.serial_number": attribute { $0.serialNumber = $1.serialNumber },
        "attributes.installation_date": attribute { $0.installationDate = $1.installationDate },
        "attributes.capacity": attribute { $0.capacity = $1.capacity },
        "attributes.nominal_voltage": attribute { $0.nominalVoltage = $1.nominalVoltage },
        "attributes.extra": attribute { $0.extra = $1.extra },
        "status": { $0.status = $1.status },
        "regulatory_scope": { $0.regulatoryScope = $1.regulatoryScope },
        "premise_id": { $0.premiseID = $1.premiseID },
        "customer_product": { $0.customerProduct = $1.customerProduct },
    ]
}
