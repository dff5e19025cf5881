import CustomerAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

/// GetCustomerSummary: what GetCustomer, ListCustomerAccounts, ListPremises,
/// ListServiceAgreements and ListInteractions answer for one customer, read in one read
/// transaction — one consistent snapshot and one hop to the store instead of five. Each list
/// is prepared by its own List operation's code from the List request it stands for, so its
/// page and next_page_token are exactly that call's (the token continues it).
extension CustomerOperations {
    /// The lists' page size: the largest a List call serves.
    static let summaryPageSize: Int32 = 1000
    /// Interactions when the request leaves interaction_limit at 0.
    static let summaryDefaultInteractions: Int32 = 10

    public func getCustomerSummary(_ request: GetCustomerSummaryRequest) async throws -> GetCustomerSummaryResponse {
        let customerID = request.customerID
        try Check.id(customerID, prefix: "CUS", "customer_id")
        guard request.interactionLimit >= 0 else {
            throw DomainError.invalid("interaction_limit must not be negative, got \(request.interactionLimit)")
        }
        let accounts = try prepareAccountsPage(.with { $0.customerID = customerID; $0.pageSize = Self.summaryPageSize })
        let premises = try preparePremisesPage(.with { $0.customerID = customerID; $0.pageSize = Self.summaryPageSize })
        let agreements = try prepareAgreementsPage(.with { $0.customerID = customerID; $0.pageSize = Self.summaryPageSize })
        // Above the maximum, the page size policy serves 1000, as ListInteractions does.
        let interactionLimit = request.interactionLimit == 0 ? Self.summaryDefaultInteractions : request.interactionLimit
        let interactions = try prepareInteractionsPage(.with { $0.customerID = customerID; $0.pageSize = interactionLimit })
        return try await store.read { db in
            let customer = try Tables.customers.require(customerID, db)
            let (accountPage, premisePage) = (try accounts(db), try premises(db))
            let (agreementPage, interactionPage) = (try agreements(db), try interactions(db))
            // The agreements' products in the same snapshot, so the gateway needs no
            // BatchGetProducts after the summary (the catalog is not separated data).
            let products = try agreementPage.agreements.map(\.productID).filter { !$0.isEmpty }.uniqued()
                .compactMap { try Tables.products.fetch($0, db) }
            return .with {
                $0.customer = customer
                $0.accounts = accountPage
                $0.premises = premisePage
                $0.agreements = agreementPage
                $0.recentInteractions = interactionPage
                $0.agreementProducts = products
            }
        }
    }
}
