import AssetAPI
import MeteringAPI

/// Creates of the asset domain, the topology, and the meter points on the meters.
extension DemoLoader {
    func createAsset(_ index: Int, _ ids: IDs) async throws -> String {
        let planned = plan.assets[index]
        var asset = planned.asset
        if let premise = planned.premise { asset.premiseID = ids.premises[premise] }
        if let product = planned.product, let agreement = planned.agreement {
            asset.customerProduct = .with {
                $0.productID = ids.products[product]
                $0.agreementID = ids.agreements[agreement]
            }
        }
        return try await clients.asset.createAsset(
            .with { $0.asset = asset; $0.requestID = requestID("asset", index) }, options: clients.options()
        ).asset?.assetID ?? ""
    }

    /// Sets the asset's parent (a no-op change on a re-run).
    func setParent(_ index: Int, _ ids: IDs) async throws {
        guard let parent = plan.assets[index].parent else { return }
        _ = try await clients.asset.setParent(
            .with { $0.assetID = ids.assets[index]; $0.parentAssetID = ids.assets[parent] }, options: clients.options())
    }

    func createMeterPoint(_ index: Int, _ ids: IDs) async throws -> String {
        let planned = plan.meterPoints[index]
        var meterPoint = planned.meterPoint
        meterPoint.premiseID = ids.premises[planned.premise]
        meterPoint.meterAssetID = ids.assets[planned.meterAsset]
        return try await clients.metering.createMeterPoint(
            .with { $0.meterPoint = meterPoint; $0.requestID = requestID("meter-point", index) }, options: clients.options()
        ).meterPoint?.meterPointID ?? ""
    }
}
