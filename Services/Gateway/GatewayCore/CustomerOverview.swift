import CustomerAPI
import FinanceAPI
import Foundation
import GatewayAPI
import MeteringAPI
import OutageAPI
import ProtoRuntime
import QuantumTypes

/// GetCustomerOverview: the customer (essential) and, concurrently, its accounts (with
/// agreements and products, balance and recent transactions), its premises (with meter points,
/// their consumption, and open outages) and its recent interactions.
///
/// Dependencies: accounts → per-account finance calls; agreements → one BatchGetProducts;
/// premises → one ListMeterPoints and one ListOutages for all premises → per-meter-point
/// consumption. Everything else runs side by side.
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
        async let customer = call.essential(.customer) { options in
            try await clients.customer.getCustomer(.with { $0.customerID = customerID }, options: options).customer ?? Customer()
        }
        async let accounts = accountViews(customerID: customerID, transactionLimit: options.transactionLimit)
        async let premises = premiseViews(customerID: customerID, window: window, bucketSize: options.bucketSize)
        async let interactions = call.section(.customer) { callOptions in
            let page = try await clients.customer.listInteractions(
                .with {
                    $0.customerID = customerID
                    $0.pageSize = options.interactionLimit
                }, options: callOptions)
            var withheld = WithheldEntries()
            withheld.add(page.withheldCount, rule: page.withheldRule)
            return (page.interactions, withheld)
        }

        let customerValue = try await customer
        let (accountList, accountsStatus) = await accounts
        let (premiseList, premisesStatus) = await premises
        let interactionSection = await interactions
        return .with {
            $0.customer = customerValue
            $0.customerStatus = customerValue.contactWithheld
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
            $0.recentInteractions = interactionSection.value?.0 ?? []
            $0.interactionsStatus = (interactionSection.value?.1 ?? WithheldEntries())
                .applied(to: interactionSection.status, noun: "interactions")
            $0.consumptionWindow = window
            $0.generateTime = TimeConversion.timestamp(Date())
        }
    }

    // MARK: Accounts

    private func accountViews(customerID: String, transactionLimit: Int32) async -> ([AccountView], SectionStatus) {
        async let agreements = agreementViews(customerID: customerID)
        let accounts = await call.section(.customer) { options in
            try await Paging.allCountingWithheld { token in
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
        let finance = clients.finance, call = self.call
        let money = await BoundedConcurrency.map(accountList, limit: settings.perItemConcurrency) { account in
            async let balance = call.section(.finance) { options in
                try await finance.getBalance(.with { $0.accountID = account.accountID }, options: options).balance ?? Balance()
            }
            async let transactions = call.section(.finance) { options in
                try await finance.listTransactions(
                    .with {
                        $0.accountID = account.accountID
                        $0.orderBy = "effective_time desc"
                        $0.pageSize = transactionLimit
                    }, options: options
                ).transactions
            }
            return (await balance, await transactions)
        }
        let (agreementsByAccount, agreementsStatus) = await agreements
        let views = zip(accountList, money).map { account, money in
            AccountView.with {
                $0.account = account
                $0.agreements = agreementsByAccount[account.accountID] ?? []
                $0.agreementsStatus = agreementsStatus
                $0.balance = money.0.value
                $0.balanceStatus = money.0.status
                $0.recentTransactions = money.1.value(or: [])
                $0.transactionsStatus = money.1.status
            }
        }
        return (views, withheldAccounts.applied(to: accounts.status, noun: "accounts"))
    }

    /// The customer's agreements with their products, by account id; products in one batch.
    private func agreementViews(customerID: String) async -> ([String: [AgreementView]], SectionStatus) {
        let agreements = await call.section(.customer) { options in
            try await Paging.allCountingWithheld { token in
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

    private func premiseViews(customerID: String, window: TimeRange, bucketSize: BucketSize) async -> ([PremiseView], SectionStatus) {
        let premises = await call.section(.customer) { options in
            try await Paging.all { token in
                let page = try await clients.customer.listPremises(
                    .with {
                        $0.customerID = customerID
                        $0.pageSize = 1000
                        $0.pageToken = token
                    }, options: options)
                return (page.premises, page.nextPageToken)
            }
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
        let meterPoints = await MeterPointLookup(clients: clients, call: call).meterPoints(premiseIDs: premiseIDs)
        let metering = clients.metering, call = self.call
        let consumption = await BoundedConcurrency.map(meterPoints.value(or: []), limit: settings.perItemConcurrency) { meterPoint in
            await call.section(.metering) { options in
                try await metering.getConsumptionProfile(
                    .with {
                        $0.subject = .meterPointID(meterPoint.meterPointID)
                        $0.timeRange = window
                        $0.bucketSize = bucketSize
                    }, options: options
                ).profile ?? ConsumptionProfile()
            }
        }
        let meterViews = zip(meterPoints.value(or: []), consumption).map { meterPoint, profile in
            MeterPointView.with {
                $0.meterPoint = meterPoint
                $0.consumption = profile.value
                $0.consumptionStatus = profile.status
            }
        }
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
