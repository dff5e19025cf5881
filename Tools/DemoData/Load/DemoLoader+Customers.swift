import CustomerAPI
import FinanceAPI

/// Creates of the customer domain (and the tariffs its products point at).
extension DemoLoader {
    func createTariff(_ index: Int) async throws -> String {
        try await clients.finance.createTariff(
            .with { $0.tariff = plan.tariffs[index]; $0.requestID = requestID("tariff", index) }, options: clients.options()
        ).tariff?.tariffID ?? ""
    }

    func createProduct(_ index: Int, _ ids: IDs) async throws -> String {
        var product = plan.products[index].product
        if let tariff = plan.products[index].tariff { product.tariffID = ids.tariffs[tariff] }
        return try await clients.customer.createProduct(
            .with { $0.product = product; $0.requestID = requestID("product", index) }, options: clients.options()
        ).product?.productID ?? ""
    }

    func createCustomer(_ index: Int) async throws -> String {
        try await clients.customer.createCustomer(
            .with { $0.customer = plan.customers[index]; $0.requestID = requestID("customer", index) }, options: clients.options()
        ).customer?.customerID ?? ""
    }

    func createPremise(_ index: Int, _ ids: IDs) async throws -> String {
        var premise = plan.premises[index].premise
        premise.servicePointAssetID = ids.assets[plan.premises[index].servicePoint]
        return try await clients.customer.createPremise(
            .with { $0.premise = premise; $0.requestID = requestID("premise", index) }, options: clients.options()
        ).premise?.premiseID ?? ""
    }

    func createAccount(_ index: Int, _ ids: IDs) async throws -> String {
        let planned = plan.accounts[index]
        var account = planned.account
        account.customerID = ids.customers[planned.customer]
        account.premiseID = ids.premises[planned.premise]
        return try await clients.customer.createCustomerAccount(
            .with { $0.account = account; $0.requestID = requestID("account", index) }, options: clients.options()
        ).account?.accountID ?? ""
    }

    func createAgreement(_ index: Int, _ ids: IDs) async throws -> String {
        let planned = plan.agreements[index]
        var agreement = planned.agreement
        agreement.accountID = ids.accounts[planned.account]
        agreement.productID = ids.products[planned.product]
        return try await clients.customer.createServiceAgreement(
            .with { $0.agreement = agreement; $0.requestID = requestID("agreement", index) }, options: clients.options()
        ).agreement?.agreementID ?? ""
    }

    func grantConsent(_ index: Int, _ ids: IDs) async throws -> String {
        var consent = plan.consents[index].consent
        consent.customerID = ids.customers[plan.consents[index].customer]
        return try await clients.customer.grantConsent(
            .with { $0.consent = consent; $0.requestID = requestID("consent", index) }, options: clients.options()
        ).consent?.consentID ?? ""
    }
}
