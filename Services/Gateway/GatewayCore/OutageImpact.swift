import AssetAPI
import CustomerAPI
import GatewayAPI
import MeteringAPI
import OutageAPI
import QuantumTypes
import RPCCore

/// GetOutageImpact: outage (essential when asked by id) → downstream assets of its fault asset
/// (asset-service) → meter points on them (metering) → premises and their ACTIVE accounts
/// (customer, concurrently) → the account holders with their communication preferences.
/// Premises come from the meter points, the topology and the outage's own record, so a
/// failed topology or metering call still leaves the recorded premises.
extension FanOut {

    public func outageImpact(_ request: GetOutageImpactRequest) async throws -> OutageImpact {
        var outage: OutageEvent?
        let rootAssetID: String
        switch request.subject {
        case .outageID(let outageID):
            let event = try await call.essential(.outage) { options in
                try await clients.outage.getOutage(.with { $0.outageID = outageID }, options: options).outage ?? OutageEvent()
            }
            outage = event
            rootAssetID = event.faultAssetID
        case .assetID(let assetID):
            rootAssetID = assetID
        case nil:
            rootAssetID = ""
        }

        let topology = try await downstream(of: rootAssetID, essential: outage == nil)
        let nodes = topology.value(or: [])
        let meterPoints = await MeterPointLookup(clients: clients, call: call).meterPoints(meterAssetIDs: nodes.map(\.assetID))
        let premiseIDs = (meterPoints.value(or: []).map(\.premiseID) + nodes.map(\.premiseID) + (outage?.affectedPremiseIDs ?? []))
            .filter { !$0.isEmpty }.uniqued().sorted()

        async let premises = call.section(.customer) { options in
            var premises: [Premise] = []
            for chunk in Paging.chunks(premiseIDs) {
                premises += try await clients.customer.batchGetPremises(.with { $0.premiseIDs = chunk }, options: options).premises
            }
            return premises
        }
        let accounts = await activeAccounts(premiseIDs: premiseIDs)
        let holders = await accountHolders(customerIDs: accounts.value(or: []).map(\.customerID))
        let premiseSection = await premises

        let limit = ImpactTally.maxItems(request.maxItems)
        let shownNodes = ImpactTally.truncated(nodes, to: limit)
        let shownMeters = ImpactTally.truncated(meterPoints.value(or: []).map(\.meterPointID), to: limit)
        let shownPremises = ImpactTally.truncated(premiseSection.value(or: []), to: limit)
        let shownTargets = ImpactTally.truncated(
            ImpactTally.targets(accounts: accounts.value(or: []), customers: holders.value(or: [])), to: limit)
        var targetsStatus = accounts.value == nil ? accounts.status : holders.status
        if accounts.value != nil { targetsStatus.withheldCount = holders.status.withheldCount }

        return .with {
            if let outage { $0.outage = outage }
            $0.rootAssetID = rootAssetID
            $0.downstreamAssets = shownNodes.items
            $0.topologyStatus = topology.status
            $0.meterPointIDs = shownMeters.items
            $0.meterPointsStatus = meterPoints.status
            $0.premises = shownPremises.items
            $0.premisesStatus = premiseSection.status
            $0.targets = shownTargets.items
            $0.targetsStatus = targetsStatus
            $0.counts = ImpactTally.counts(
                downstreamAssetCount: nodes.count, meterPointCount: meterPoints.value(or: []).count,
                premiseCount: premiseIDs.count, accounts: accounts.value(or: []))
            $0.truncated = shownNodes.truncated || shownMeters.truncated || shownPremises.truncated || shownTargets.truncated
        }
    }

    /// Every node below `rootAssetID`, breadth-first. Essential when the asset was asked about
    /// directly (an unknown asset fails the call); a section when it came from an outage.
    private func downstream(of rootAssetID: String, essential: Bool) async throws -> Section<[TopologyNode]> {
        guard !rootAssetID.isEmpty else {
            return Section(value: [], status: SectionStatuses.notApplicable(.asset, "the outage has no fault asset yet"))
        }
        let fetch: @Sendable (CallOptions) async throws -> [TopologyNode] = { [clients] options in
            try await Paging.all { token in
                let page = try await clients.asset.getDownstream(
                    .with {
                        $0.assetID = rootAssetID
                        $0.pageSize = 10_000
                        $0.pageToken = token
                    }, options: options)
                return (page.nodes, page.nextPageToken)
            }
        }
        if essential {
            return Section(value: try await call.essential(.asset, fetch), status: SectionStatuses.ok(.asset))
        }
        return await call.section(.asset, fetch)
    }

    private func activeAccounts(premiseIDs: [String]) async -> Section<[CustomerAccount]> {
        await call.section(.customer) { options in
            try await Paging.all(chunking: premiseIDs) { chunk, token in
                let page = try await clients.customer.listCustomerAccounts(
                    .with {
                        $0.premiseIDs = chunk
                        $0.filter = "status = ACTIVE"
                        $0.pageSize = 1000
                        $0.pageToken = token
                    }, options: options)
                return (page.accounts, page.nextPageToken)
            }
        }
    }

    /// The customers holding the accounts; those the policy hides are counted in withheld_count.
    private func accountHolders(customerIDs: [String]) async -> Section<[Customer]> {
        let unique = customerIDs.uniqued()
        var withheld = 0
        var section = await call.section(.customer) { options in
            var customers: [Customer] = []
            var hidden = 0
            for chunk in Paging.chunks(unique) {
                let response = try await clients.customer.batchGetCustomers(.with { $0.customerIDs = chunk }, options: options)
                customers += response.customers
                hidden += response.withheldIDs.count
            }
            return (customers, hidden)
        }.map { value -> [Customer] in
            withheld = value.1
            return value.0
        }
        section.status.withheldCount = Int32(withheld)
        return section
    }
}
