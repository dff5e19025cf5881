import CustomerAPI
import QuantumTypes
import RPCCore

/// Products by id in one BatchGetProducts per 1,000 ids, instead of one GetProduct per agreement.
struct ProductLookup: Sendable {
    let clients: GatewayClients
    let call: DownstreamCall

    /// The products found, and how each agreement's product lookup went.
    struct Result: Sendable {
        let section: Section<[String: Product]>

        /// The product and its status: the batch's status, or FAILED NOT_FOUND when the batch
        /// answered but did not have it.
        func lookup(_ productID: String) -> (Product?, SectionStatus) {
            guard let products = section.value else { return (nil, section.status) }
            if let product = products[productID] { return (product, section.status) }
            let missing = RPCError(code: .notFound, message: "product '\(productID)' not found")
            return (nil, SectionStatuses.from(missing, service: .customer))
        }
    }

    /// `known`: products already at hand (GetCustomerSummary's agreement products); only the
    /// other ids are asked for, and with none left no call is made.
    func products(ids: [String], known: [Product] = []) async -> Result {
        let found = Dictionary(known.map { ($0.productID, $0) }, uniquingKeysWith: { first, _ in first })
        let unique = ids.filter { !$0.isEmpty && found[$0] == nil }.uniqued()
        guard !unique.isEmpty else { return Result(section: Section(value: found, status: SectionStatuses.ok(.customer))) }
        let section = await call.section(.customer) { options in
            var products = found
            for chunk in Paging.chunks(unique) {
                let response = try await clients.customer.batchGetProducts(.with { $0.productIDs = chunk }, options: options)
                for product in response.products { products[product.productID] = product }
            }
            return products
        }
        return Result(section: section)
    }
}
