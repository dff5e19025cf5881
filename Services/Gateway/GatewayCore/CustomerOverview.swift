import CustomerAPI
import FinanceAPI
import Foundation
import GatewayAPI
import MeteringAPI
import OutageAPI
import ProtoRuntime
import QuantumTypes
import RPCCore

/// GetCustomerOverview: GetCustomerSummary (the customer, the first pages of its accounts,
/// premises, agreements and interactions, and the agreements' products, one snapshot), then,
/// side by side, one BatchGetAccountActivity for every account's balance and recent
/// transactions, one BatchGetConsumptionProfiles and one ListOutages for the premises
/// (`overviewLookups`). Four calls whatever the number of accounts and meter points, because
/// each downstream call costs CPU on both ends and the mesh shares few cores. (BatchGetProducts
/// only for products the summary did not carry: agreements past its first page, or a
/// customer-service older than `agreement_products`.)
///
/// The second hop needs the summary's ids, which makes two dependent hops. When the gateway
/// remembers the ids this caller saw for this customer (`OverviewKeyCache`), the second hop is
/// guessed from them and made beside the summary: one hop. The summary still decides what the
/// answer holds; a guessed lookup that does not cover its ids is made again after it.
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
        let cacheKey = OverviewKeyCache.Key(caller: call.callerIdentity, customerID: customerID)
        let guessedKeys = overviewKeys?.keys(for: cacheKey)
        async let guessed = guessedLookups(guessedKeys, options: options, window: window)

        let summary: GetCustomerSummaryResponse
        do {
            summary = try await call.essential(.customer) { callOptions in
                try await clients.customer.getCustomerSummary(
                    .with {
                        $0.customerID = customerID
                        $0.interactionLimit = options.interactionLimit
                    }, options: callOptions)
            }
        } catch {
            // Gone, or no longer this caller's to read: nothing to guess from any more.
            if [.notFound, .permissionDenied, .unauthenticated].contains(RPCError(from: error).code) { overviewKeys?.forget(cacheKey) }
            throw error
        }
        let customers = clients.customer
        async let accountsSection = wholeList(summary.accounts, customerID: customerID, customers.listCustomerAccounts)
        async let agreementsSection = wholeList(summary.agreements, customerID: customerID, customers.listServiceAgreements)
        async let premisesSection = wholeList(summary.premises, customerID: customerID, customers.listPremises)
        let (accounts, agreements, premises) = await (accountsSection, agreementsSection, premisesSection.map(\.0))
        let keys = OverviewKeys(accounts: accounts.value?.0 ?? [], premises: premises.value ?? [])
        async let products = ProductLookup(clients: clients, call: call)
            .products(ids: agreements.value?.0.map(\.productID) ?? [], known: summary.agreementProducts)
        let kept = await guessed?.kept(for: keys)
        overviewKeys?.record(kept.map { $0.isComplete ? .besideSummary : .partlyAfterSummary } ?? .afterSummary)
        let lookups = await overviewLookups(keys, options: options, window: window, kept: kept)
        if accounts.value != nil && agreements.value != nil && premises.value != nil {
            overviewKeys?.remember(keys, for: cacheKey)
        }

        let customer = summary.customer ?? Customer()
        let interactions = summary.recentInteractions ?? ListInteractionsResponse()
        var withheldInteractions = WithheldEntries()
        withheldInteractions.add(interactions.withheldCount, rule: interactions.withheldRule)
        let (accountList, accountsStatus) = accountViews(accounts, agreements: agreements, products: await products, lookups: lookups)
        let (premiseList, premisesStatus) = premiseViews(premises, lookups: lookups)
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

    /// The second hop for the ids remembered from an earlier overview, if any.
    private func guessedLookups(_ keys: OverviewKeys?, options: CustomerOverviewOptions, window: TimeRange) async -> OverviewLookups? {
        guard let keys else { return nil }
        return await overviewLookups(keys, options: options, window: window)
    }

    // MARK: The summary's lists, whole

    /// A list of the customer's whose first page came inside the summary: that page, then the
    /// rest from `list`, with what the separation policy left out summed over the pages.
    private func wholeList<Request: CustomerListRequest, Page: CustomerListPage>(
        _ first: Page?, customerID: String, _ list: @escaping @Sendable (Request, CallOptions) async throws -> Page
    ) async -> Section<([Page.Item], WithheldEntries)> {
        await call.section(.customer) { options in
            try await Paging.continuing(first: (first ?? Page()).asPage) { token in
                var request = Request()
                request.customerID = customerID
                request.pageSize = 1000
                request.pageToken = token
                return try await list(request, options).asPage
            }
        }
    }

// MARK: Assembly

    private func accountViews(
        _ accounts: Section<([CustomerAccount], WithheldEntries)>, agreements: Section<([ServiceAgreement], WithheldEntries)>,
        products: ProductLookup.Result, lookups: OverviewLookups
    ) -> ([AccountView], SectionStatus) {
        guard let (accountList, withheldAccounts) = accounts.value else { return ([], accounts.status) }
        var agreementsByAccount: [String: [AgreementView]] = [:]
        var agreementsStatus = agreements.status
        if let (agreementList, withheldAgreements) = agreements.value {
            for agreement in agreementList {
                let (product, productStatus) = products.lookup(agreement.productID)
                agreementsByAccount[agreement.accountID, default: []].append(.with {
                    $0.agreement = agreement
                    $0.product = product
                    $0.productStatus = productStatus
                })
            }
            agreementsStatus = withheldAgreements.applied(to: agreements.status, noun: "agreements")
        }
        let views = accountList.map { account in
            let money = lookups.activity.of(account.accountID)
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

    private func premiseViews(_ premises: Section<[Premise]>, lookups: OverviewLookups) -> ([PremiseView], SectionStatus) {
        let meterViews = lookups.meterPoints.value(or: [])
        let outages = lookups.outages.value(or: [])
        let views = premises.value(or: []).map { premise in
            PremiseView.with {
                $0.premise = premise
                $0.meterPoints = meterViews.filter { $0.meterPoint?.premiseID == premise.premiseID }
                $0.meterPointsStatus = lookups.meterPoints.status
                $0.openOutages = outages.filter { $0.affectedPremiseIDs.contains(premise.premiseID) }
                $0.outagesStatus = lookups.outages.status
            }
        }
        return (views, premises.status)
    }
}
