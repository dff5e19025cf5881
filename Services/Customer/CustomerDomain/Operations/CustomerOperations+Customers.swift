import CustomerAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

extension CustomerOperations {
    static let customerFilter = FilterSchema([
        "display_name": .substring(foldedColumn: "name_folded"),
        "email": .listContains("emails", fold: true),
        "status": .enumEquals("status", CustomerStatus.self),
        "kind": .enumEquals("kind", CustomerKind.self),
    ])

    public func createCustomer(_ request: CreateCustomerRequest) async throws -> CreateCustomerResponse {
        let customer = try CustomerRules.forCreate(
            try required(request.customer, "customer"), id: ids.make(prefix: "CUS"), now: clock.timestamp())
        return try await store.idempotentWrite(request, requestID: \.requestID, method: "CreateCustomer") { tx in
            try Tables.customers.insert(customer.customerID, customer, tx)
            return .with { $0.customer = customer }
        }
    }

    public func getCustomer(_ request: GetCustomerRequest) async throws -> GetCustomerResponse {
        try Check.id(request.customerID, prefix: "CUS", "customer_id")
        let customer = try await store.read { db in try Tables.customers.require(request.customerID, db) }
        return .with { $0.customer = customer }
    }

    public func batchGetCustomers(_ request: BatchGetCustomersRequest) async throws -> BatchGetCustomersResponse {
        let (found, missing) = try await batchGet(request.customerIDs, prefix: "CUS", field: "customer_ids", table: Tables.customers)
        return .with {
            $0.customers = found
            $0.missingIDs = missing
        }
    }

    public func updateCustomer(_ request: UpdateCustomerRequest) async throws -> UpdateCustomerResponse {
        let patch = try required(request.customer, "customer")
        try Check.id(patch.customerID, prefix: "CUS", "customer.customer_id")
        try CustomerRules.updateMask.check(request.updateMask)
        let now = clock.timestamp()
        let customer = try await store.write { tx in
            let current = try Tables.customers.require(patch.customerID, tx)
            let updated = try CustomerRules.updated(current, patch: patch, mask: request.updateMask, now: now)
            try Tables.customers.update(updated.customerID, updated, tx)
            return updated
        }
        return .with { $0.customer = customer }
    }

    public func listCustomers(_ request: ListCustomersRequest) async throws -> ListCustomersResponse {
        let order: ListOrder
        switch request.orderBy.trimmingCharacters(in: .whitespaces) {
        case "": order = .byID
        case "display_name": order = .by("display_name", .text)
        case "create_time": order = .by("create_ms", .integer)
        case "create_time desc": order = .by("create_ms", .integer, descending: true)
        default:
            throw DomainError.invalid("order_by '\(request.orderBy)' is not one of: display_name, create_time, create_time desc")
        }
        let page = try await listPage(
            Tables.customers, method: "ListCustomers", fields: ["filter": request.filter, "order_by": request.orderBy],
            pageSize: request.pageSize, pageToken: request.pageToken,
            where: try Self.customerFilter.conditions(for: request.filter), order: order)
        return .with {
            $0.customers = page.items
            $0.nextPageToken = page.nextPageToken
        }
    }

    /// Re-derives a customer's relationship scopes from its accounts (after an account opens).
    func refreshRelationshipScopes(of customerID: String, _ tx: any StoreWriting) throws {
        var customer = try Tables.customers.require(customerID, tx)
        let scopes = try tx.query("SELECT DISTINCT regulatory_scope FROM accounts WHERE customer_id = ? ORDER BY regulatory_scope", customerID)
            .map { RegulatoryScope(rawValue: Int32(try $0.get(0, as: Int64.self))) }
        guard scopes != customer.relationshipScopes else { return }
        customer.relationshipScopes = scopes
        try Tables.customers.update(customerID, customer, tx)
    }
}
