import AssetAPI
import CustomerAPI
import Foundation
import GatewayAPI
import MeteringAPI
import OutageAPI
import QuantumTypes

/// GetPremiseOverview: the premise (essential) and, concurrently, its accounts, its meter
/// points with their latest reads, the assets at the premise and the path feeding it; then the
/// open outages and work orders on the premise or on any of those assets.
extension FanOut {

    public func premiseOverview(_ request: GetPremiseOverviewRequest) async throws -> PremiseOverview {
        let premiseID = request.premiseID
        async let premise = call.essential(.customer) { options in
            try await clients.customer.getPremise(.with { $0.premiseID = premiseID }, options: options).premise ?? Premise()
        }
        async let accounts = call.section(.customer) { options in
            try await Paging.allCountingWithheld { token in
                let page = try await clients.customer.listCustomerAccounts(
                    .with {
                        $0.premiseIDs = [premiseID]
                        $0.pageSize = 1000
                        $0.pageToken = token
                    }, options: options)
                return (page.accounts, page.nextPageToken, page.withheldCount, page.withheldRule)
            }
        }
        async let meterPoints = meterPointViews(premiseID: premiseID)
        async let premiseAssets = call.section(.asset) { options in
            try await Paging.all { token in
                let page = try await clients.asset.listAssets(
                    .with {
                        $0.premiseID = premiseID
                        $0.pageSize = 1000
                        $0.pageToken = token
                    }, options: options)
                return (page.assets, page.nextPageToken)
            }
        }

        let premiseValue = try await premise
        let upstream = await upstreamAssets(servicePointAssetID: premiseValue.servicePointAssetID)
        let premiseAssetSection = await premiseAssets
        let assetIDs = (premiseAssetSection.value(or: []) + upstream.value(or: [])).map(\.assetID).uniqued()
        async let outages = openOutages(premiseID: premiseID, assetIDs: assetIDs)
        async let workOrders = openWorkOrders(premiseID: premiseID, assetIDs: assetIDs)

        let (meterViews, meterPointsStatus) = await meterPoints
        let accountSection = await accounts
        let outageSection = await outages
        let workOrderSection = await workOrders
        return .with {
            $0.premise = premiseValue
            $0.accounts = accountSection.value?.0 ?? []
            $0.accountsStatus = (accountSection.value?.1 ?? WithheldEntries()).applied(to: accountSection.status, noun: "accounts")
            $0.meterPoints = meterViews
            $0.meterPointsStatus = meterPointsStatus
            $0.premiseAssets = premiseAssetSection.value(or: [])
            $0.premiseAssetsStatus = premiseAssetSection.status
            $0.upstreamAssets = upstream.value(or: [])
            $0.upstreamStatus = upstream.status
            $0.openOutages = outageSection.value(or: [])
            $0.outagesStatus = outageSection.status
            $0.openWorkOrders = workOrderSection.value(or: [])
            $0.workOrdersStatus = workOrderSection.status
            $0.generateTime = TimeConversion.timestamp(Date())
        }
    }

    /// The premise's meter points, each with its latest DELIVERED interval reading (a meter
    /// point without readings is NOT_APPLICABLE, not FAILED).
    private func meterPointViews(premiseID: String) async -> ([MeterPointView], SectionStatus) {
        let meterPoints = await MeterPointLookup(clients: clients, call: call).meterPoints(premiseIDs: [premiseID])
        let metering = clients.metering, call = self.call
        let readings = await BoundedConcurrency.map(meterPoints.value(or: []), limit: settings.perItemConcurrency) { meterPoint in
            await call.section(.metering, notFound: .notApplicable) { options in
                try await metering.getLatestReading(
                    .with {
                        $0.meterPointID = meterPoint.meterPointID
                        $0.kind = .interval
                        $0.channel = .delivered
                    }, options: options
                ).reading ?? MeterReading()
            }
        }
        let views = zip(meterPoints.value(or: []), readings).map { meterPoint, reading in
            MeterPointView.with {
                $0.meterPoint = meterPoint
                $0.latestReading = reading.value
                $0.latestReadingStatus = reading.status
            }
        }
        return (views, meterPoints.status)
    }

    /// The service point asset, then its parents up to the root.
    private func upstreamAssets(servicePointAssetID: String) async -> Section<[Asset]> {
        guard !servicePointAssetID.isEmpty else {
            return Section(value: [], status: SectionStatuses.notApplicable(.asset, "the premise has no service point asset"))
        }
        return await call.section(.asset) { options in
            async let servicePoint = clients.asset.getAsset(.with { $0.assetID = servicePointAssetID }, options: options)
            async let path = clients.asset.getUpstreamPath(.with { $0.assetID = servicePointAssetID }, options: options)
            return [try await servicePoint.asset ?? Asset()] + (try await path.path)
        }
    }

    /// Open outages recorded against the premise, or whose fault asset is one of `assetIDs`.
    private func openOutages(premiseID: String, assetIDs: [String]) async -> Section<[OutageEvent]> {
        let outage = clients.outage
        return await call.section(.outage) { options in
            let atPremise = try await outage.listOutages(
                .with {
                    $0.openOnly = true
                    $0.premiseIDs = [premiseID]
                    $0.pageSize = 1000
                }, options: options
            ).outages
            let onAssets = try await BoundedConcurrency.map(assetIDs, limit: settings.perItemConcurrency) { assetID in
                try await outage.listOutages(
                    .with {
                        $0.openOnly = true
                        $0.faultAssetID = assetID
                        $0.pageSize = 1000
                    }, options: options
                ).outages
            }
            return Self.uniqueByID(atPremise + onAssets.flatMap { $0 }, id: \.outageID)
        }
    }

    /// Open work orders at the premise or on one of `assetIDs`.
    private func openWorkOrders(premiseID: String, assetIDs: [String]) async -> Section<[WorkOrder]> {
        let outage = clients.outage
        return await call.section(.outage) { options in
            async let atPremise = outage.listWorkOrders(
                .with {
                    $0.openOnly = true
                    $0.premiseID = premiseID
                    $0.pageSize = 1000
                }, options: options)
            var onAssets: [WorkOrder] = []
            for chunk in Paging.chunks(assetIDs) {
                onAssets += try await outage.listWorkOrders(
                    .with {
                        $0.openOnly = true
                        $0.assetIDs = chunk
                        $0.pageSize = 1000
                    }, options: options
                ).workOrders
            }
            return Self.uniqueByID(try await atPremise.workOrders + onAssets, id: \.workOrderID)
        }
    }

    private static func uniqueByID<Item>(_ items: [Item], id: (Item) -> String) -> [Item] {
        var seen = Set<String>()
        return items.filter { seen.insert(id($0)).inserted }
    }
}
