import CustomerAPI
import FinanceAPI
import Foundation
import GatewayAPI
import MeteringAPI
import OutageAPI
import ProtoRuntime
import QuantumTypes

/// GetCustomerOverview in two dependent hops: GetCustomerSummary (the customer and the first
/// pages of its accounts, premises, agreements and interactions, one snapshot) first; then, side
/// by side, one BatchGetProducts for the agreements, one BatchGetAccountActivity for every
/// account's balance and recent transactions, one BatchGetConsumptionProfiles and one ListOutages
/// for the premises. Five calls for a typical customer, whatever its number of accounts and
/// meter points (was 11 or more in three hops), because each downstream call costs CPU on both
/// ends and the mesh shares few cores.
extension FanOut {

    /// The request's optional fields with their documented defaults applied.
    public struct CustomerOverviewOptions: Sendable, Hashable {
        public var window: Duration
        public var bucketSize: BucketSize
        public var transactionLimit: Int32
        public var interactionLimit: Int32

        public init(_ request: GetCustomerOverviewRequest) {
            window = request.consumptionWindow.map(\.swiftDuration) ?? .seconds(30 * 86_400)
            bucketSize = request.bucketSize == .unspecified ? .day : request.bucketSize
            transactionLimit = request.recentTransactionLimit == 0 ? 10 : request.recentTransactionLimit
            interactionLimit = request.recentInteractionLimit == 0 ? 10 : request.recentInteractionLimit
        }
    }

    public func customerOverview(_ request: GetCustomerOverviewRequest, now: Date = Date()) async throws -> CustomerOverview {
        let options = CustomerOverviewOptions(request)
        let customerID = request.customerID
        let window = TimeRange.with {
            $0.startTime = TimeConversion.timestamp(now.addingTimeInterval(-TimeConversion.seconds(options.window)))
            $0.endTime = TimeConversion.timestamp(now)
        }
        let summary = try await call.essential(.customer) { callOptions in
            try await clients.customer.getCustomerSummary(
                .with {
                    $0.customerID = customerID
                    $0.interactionLimit = options.interactionLimit
                }, options: callOptions)
        }
        let customer = summary.customer ?? Customer()
        async let accounts = accountViews(customerID: customerID, summary: summary, transactionLimit: options.transactionLimit)
        async let premises = premiseViews(customerID: customerID, summary: summary, window: window, bucketSize: options.bucketSize)
        let interactions = summary.recentInteractions ?? ListInteractionsResponse()
        var withheldInteractions = WithheldEntries()
        withheldInteractions.add(interactions.withheldCount, rule: interactions.withheldRule)

        let (accountList, accountsStatus) = await accounts
        let (premiseList, premisesStatus) = await premises
        return .with {
            $0.customer = customer
            $0.customerStatus = customer.contactWithheld
                ? .with {
                    $0.state = .withheld
                    $0.service = DownstreamService.customer.protoServiceName
                    $0.message = "customer-service withheld the contact details of \(customerID) from this caller"
                }
                : SectionStatuses.ok(.customer)
            $0.accounts = accountList
            $0.accountsStatus = accountsStatus
            $0.premises = premiseList
            $0.premisesStatus = premisesStatus
            $0.recentInteractions = interactions.interactions
            $0.interactionsStatus = withheldInteractions.applied(to: SectionStatuses.ok(.customer), noun: "interactions")
            $0.consumptionWindow = window
            $0.generateTime = TimeConversion.timestamp(Date())
        }
    }

    // MARK: Accounts

    private func accountViews(
        customerID: String, summary: GetCustomerSummaryResponse, transactionLimit: Int32
    ) async -> ([AccountView], SectionStatus) {
        async let agreements = agreementViews(customerID: customerID, summary: summary)
        let first = summary.accounts ?? ListCustomerAccountsResponse()
        let accounts = await call.section(.customer) { options in
            try await Paging.continuing(first: (first.accounts, first.nextPageToken, first.withheldCount, first.withheldRule)) { token in
                let page = try await clients.customer.listCustomerAccounts(
                    .with {
                        $0.customerID = customerID
                        $0.pageSize = 1000
                        $0.pageToken = token
                    }, options: options)
                return (page.accounts, page.nextPageToken, page.withheldCount, page.withheldRule)
            }
        }
        guard let (accountList, withheldAccounts) = accounts.value else { return ([], accounts.status) }
        let activity = await AccountActivityLookup(clients: clients, call: call)
            .activity(accountIDs: accountList.map(\.accountID), transactionLimit: transactionLimit)
        let (agreementsByAccount, agreementsStatus) = await agreements
        let views = accountList.map { account in
            let money = activity.of(account.accountID)
            return AccountView.with {
                $0.account = account
                $0.agreements = agreementsByAccount[account.accountID] ?? []
                $0.agreementsStatus = agreementsStatus
                $0.balance = money.balance
                $0.balanceStatus = money.status
                $0.recentTransactions = money.transactions
                $0.transactionsStatus = money.status
            }
        }
        return (views, withheldAccounts.applied(to: accounts.status, noun: "accounts"))
    }

    /// The customer's agreements with their products, by account id; products in one batch.
    private func agreementViews(customerID: String, summary: GetCustomerSummaryResponse) async -> ([String: [AgreementView]], SectionStatus) {
        let first = summary.agreements ?? ListServiceAgreementsResponse()
        let agreements = await call.section(.customer) { options in
            try await Paging.continuing(first: (first.agreements, first.nextPageToken, first.withheldCount, first.withheldRule)) { token in
                let page = try await clients.customer.listServiceAgreements(
                    .with {
                        $0.customerID = customerID
                        $0.pageSize = 1000
                        $0.pageToken = token
                    }, options: options)
                return (page.agreements, page.nextPageToken, page.withheldCount, page.withheldRule)
            }
        }
        guard let (agreementList, withheldAgreements) = agreements.value else { return ([:], agreements.status) }
        let products = await ProductLookup(clients: clients, call: call).products(ids: agreementList.map(\.productID))
        var byAccount: [String: [AgreementView]] = [:]
        for agreement in agreementList {
            let (product, productStatus) = products.lookup(agreement.productID)
            byAccount[agreement.accountID, default: []].append(.with {
                $0.agreement = agreement
                $0.product = product
                $0.productStatus = productStatus
            })
        }
        return (byAccount, withheldAgreements.applied(to: agreements.status, noun: "agreements"))
    }

    // MARK: Premises

    private func premiseViews(
        customerID: String, summary: GetCustomerSummaryResponse, window: TimeRange, bucketSize: BucketSize
    ) async -> ([PremiseView], SectionStatus) {
        let first = summary.premises ?? ListPremisesResponse()
        let premises = await call.section(.customer) { options in
            try await Paging.continuing(first: (first.premises, first.nextPageToken, 0, "")) { token in
                let page = try await clients.customer.listPremises(
                    .with {
                        $0.customerID = customerID
                        $0.pageSize = 1000
                        $0.pageToken = token
                    }, options: options)
                return (page.premises, page.nextPageToken, 0, "")
            }.0
        }
        guard let premiseList = premises.value, !premiseList.isEmpty else { return ([], premises.status) }
        let premiseIDs = premiseList.map(\.premiseID)

        async let outages = call.section(.outage) { options in
            try await Paging.all { token in
                let page = try await clients.outage.listOutages(
                    .with {
                        $0.openOnly = true
                        $0.premiseIDs = premiseIDs
                        $0.pageSize = 1000
                        $0.pageToken = token
                    }, options: options)
                return (page.outages, page.nextPageToken)
            }
        }
        let meterPoints = await ConsumptionLookup(clients: clients, call: call)
            .meterPoints(premiseIDs: premiseIDs, window: window, bucketSize: bucketSize)
        let meterViews = meterPoints.value(or: [])
        let outageSection = await outages
        let views = premiseList.map { premise in
            PremiseView.with {
                $0.premise = premise
                $0.meterPoints = meterViews.filter { $0.meterPoint?.premiseID == premise.premiseID }
                $0.meterPointsStatus = meterPoints.status
                $0.openOutages = outageSection.value(or: []).filter { $0.affectedPremiseIDs.contains(premise.premiseID) }
                $0.outagesStatus = outageSection.status
            }
        }
        return (views, premises.status)
    }
}
