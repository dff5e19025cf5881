import CustomerAPI
import ProtoRuntime
import QuantumTypes

/// What a product definition must look like, and how it changes.
public enum ProductRules {
    public static func validate(_ product: Product) throws(DomainError) {
        try Check.required(product.displayName, "product.display_name")
        try Check.specified(product.regulatoryScope, "product.regulatory_scope")
        try Check.known(product.category, "product.category")
        try Check.known(product.commodity, "product.commodity")
        try Check.known(product.pricingModel, "product.pricing_model")
        try Check.known(product.status, "product.status")
        try Check.text(product.summary, "product.summary")
        try Check.text(product.pricingTerms, "product.pricing_terms")
        try Check.money(product.listPrice, "product.list_price")
        try Check.optionalID(product.tariffID, prefix: "TRF", "product.tariff_id")
        if product.pricingModel == .tariff {
            guard !product.tariffID.isEmpty else { throw .invalid("product.tariff_id is required for PRICING_MODEL_TARIFF") }
            guard product.regulatoryScope == .regulated else {
                throw .invalid("product.pricing_model TARIFF is for REGULATED products only")
            }
        }
        if product.category == .utilityService, product.regulatoryScope != .regulated {
            throw .invalid("product.category UTILITY_SERVICE is for REGULATED products only")
        }
        for (index, feature) in product.features.enumerated() {
            try Check.required(feature, "product.features[\(index)]")
        }
    }

    public static func forCreate(_ requested: Product, id: String, now: Timestamp) throws(DomainError) -> Product {
        var product = requested
        product.productID = id
        if product.status == .unspecified { product.status = .active }
        product.createTime = now
        product.updateTime = now
        try validate(product)
        return product
    }

    public static func updated(_ current: Product, patch: Product, mask: FieldMask?, now: Timestamp) throws(DomainError) -> Product {
        var product = try updateMask.apply(mask, from: patch, to: current)
        guard product.status != .unspecified else { throw .invalid("product.status cannot be cleared") }
        product.updateTime = now
        try validate(product)
        return product
    }

    public static let updateMask = FieldMaskPolicy<Product>(
        resourceName: "Product",
        updatable: [
            "display_name": { $0.displayName = $1.displayName },
            "summary": { $0.summary = $1.summary },
            "category": { $0.category = $1.category },
            "commodity": { $0.commodity = $1.commodity },
            "pricing_model": { $0.pricingModel = $1.pricingModel },
            "tariff_id": { $0.tariffID = $1.tariffID },
            "list_price": { $0.listPrice = $1.listPrice },
            "pricing_terms": { $0.pricingTerms = $1.pricingTerms },
            "features": { $0.features = $1.features },
            "status": { $0.status = $1.status },
        ],
        outputOnly: ["product_id", "create_time", "update_time"],
        immutable: ["regulatory_scope": "define a new product for the other business"])
}
