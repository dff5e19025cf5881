import CustomerAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

extension CustomerOperations {
    static let productFilter = FilterSchema([
        "regulatory_scope": .enumEquals("regulatory_scope", RegulatoryScope.self),
        "category": .enumEquals("category", ProductCategory.self),
        "status": .enumEquals("status", ProductStatus.self),
        "commodity": .enumEquals("commodity", Commodity.self),
    ])

    public func createProduct(_ request: CreateProductRequest) async throws -> CreateProductResponse {
        let product = try ProductRules.forCreate(
            try required(request.product, "product"), id: ids.make(prefix: "PRD"), now: clock.timestamp())
        return try await store.idempotentWrite(request, requestID: \.requestID, method: "CreateProduct") { tx in
            try Tables.products.insert(product.productID, product, tx)
            return .with { $0.product = product }
        }
    }

    public func getProduct(_ request: GetProductRequest) async throws -> GetProductResponse {
        try Check.id(request.productID, prefix: "PRD", "product_id")
        let product = try await store.read { db in try Tables.products.require(request.productID, db) }
        return .with { $0.product = product }
    }

    public func batchGetProducts(_ request: BatchGetProductsRequest) async throws -> BatchGetProductsResponse {
        let (found, missing) = try await batchGet(request.productIDs, prefix: "PRD", field: "product_ids", table: Tables.products)
        return .with {
            $0.products = found
            $0.missingIDs = missing
        }
    }

    public func updateProduct(_ request: UpdateProductRequest) async throws -> UpdateProductResponse {
        let patch = try required(request.product, "product")
        try Check.id(patch.productID, prefix: "PRD", "product.product_id")
        try ProductRules.updateMask.check(request.updateMask)
        let now = clock.timestamp()
        let product = try await store.write { tx in
            let current = try Tables.products.require(patch.productID, tx)
            let updated = try ProductRules.updated(current, patch: patch, mask: request.updateMask, now: now)
            try Tables.products.update(updated.productID, updated, tx)
            return updated
        }
        return .with { $0.product = product }
    }

    public func listProducts(_ request: ListProductsRequest) async throws -> ListProductsResponse {
        let page = try await listPage(
            Tables.products, method: "ListProducts", fields: ["filter": request.filter],
            pageSize: request.pageSize, pageToken: request.pageToken, where: try Self.productFilter.conditions(for: request.filter))
        return .with {
            $0.products = page.items
            $0.nextPageToken = page.nextPageToken
        }
    }
}
