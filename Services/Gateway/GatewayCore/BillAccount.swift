import CustomerAPI
import FinanceAPI
import GatewayAPI
import MeteringAPI
import QuantumTypes
import RPCCore

/// BillAccount, every step essential: the account and its active agreements (customer,
/// concurrently) → their products (customer) → the tariff (finance) → the premise's hourly
/// consumption over the period in the tariff's time zone (metering) → IssueBill (finance) with
/// the caller's request_id, so a retry returns the same bill.
extension FanOut {

    public func billAccount(_ request: BillAccountRequest) async throws -> BillAccountResponse {
        let accountID = request.accountID
        async let account = call.essential(.customer) { options in
            try await clients.customer.getCustomerAccount(.with { $0.accountID = accountID }, options: options).account
                ?? CustomerAccount()
        }
        async let agreements = call.essential(.customer) { options in
            try await Paging.all { token in
                let page = try await clients.customer.listServiceAgreements(
                    .with {
                        $0.accountID = accountID
                        $0.filter = "status = ACTIVE"
                        $0.pageSize = 1000
                        $0.pageToken = token
                    }, options: options)
                return (page.agreements, page.nextPageToken)
            }
        }
        let accountValue = try await account
        let agreementList = try await agreements
        let productIDs = agreementList.map(\.productID).uniqued()
        let products = try await call.essential(.customer) { options in
            var products: [Product] = []
            // BatchGetProducts takes at most 1,000 ids.
            for chunk in Paging.chunks(productIDs) {
                products += try await clients.customer.batchGetProducts(.with { $0.productIDs = chunk }, options: options).products
            }
            return products
        }
        let tariffByProduct = Dictionary(
            products.filter { $0.pricingModel == .tariff }.map { ($0.productID, $0.tariffID) }, uniquingKeysWith: { first, _ in first })
        let (tariffID, agreementIDs) = try BillingInputs.tariffID(
            agreements: agreementList.map { ($0.agreementID, $0.productID) }, tariffByProduct: tariffByProduct, accountID: accountID)

        let tariff = try await call.essential(.finance) { options in
            try await clients.finance.getTariff(.with { $0.tariffID = tariffID }, options: options).tariff ?? Tariff()
        }
        guard let period = request.billingPeriod, let range = BillingInputs.timeRange(of: period, timeZone: tariff.timeZone) else {
            throw RPCError(code: .invalidArgument, message: "billing_period is not a valid date range in time zone '\(tariff.timeZone)'")
        }
        let profile = try await call.essential(.metering) { options in
            try await clients.metering.getConsumptionProfile(
                .with {
                    $0.subject = .premiseID(accountValue.premiseID)
                    $0.timeRange = range
                    $0.bucketSize = .hour
                    $0.commodity = tariff.commodity
                    $0.timeZone = tariff.timeZone
                }, options: options
            ).profile ?? ConsumptionProfile()
        }
        let bill = try await call.essential(.finance) { options in
            try await clients.finance.issueBill(
                .with {
                    $0.accountID = accountID
                    $0.regulatoryScope = accountValue.regulatoryScope
                    $0.tariffID = tariffID
                    $0.billingPeriod = period
                    $0.usage = BillingInputs.usage(from: profile)
                    $0.requestID = request.requestID
                }, options: options
            ).bill ?? Bill()
        }
        return .with {
            $0.bill = bill
            $0.agreementIDs = agreementIDs
            $0.meterPointIDs = profile.meterPointIDs
        }
    }
}
