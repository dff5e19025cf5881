import MeteringAPI

/// Meter points of many premises (or on many meter assets) in one paged ListMeterPoints per
/// 1,000 ids, instead of one call per premise.
struct MeterPointLookup: Sendable {
    let clients: GatewayClients
    let call: DownstreamCall

    func meterPoints(premiseIDs: [String]) async -> Section<[MeterPoint]> {
        await list(ids: premiseIDs) { request, chunk in request.premiseIDs = chunk }
    }

    func meterPoints(meterAssetIDs: [String]) async -> Section<[MeterPoint]> {
        await list(ids: meterAssetIDs) { request, chunk in request.meterAssetIDs = chunk }
    }

    private func list(ids: [String], select: @escaping @Sendable (inout ListMeterPointsRequest, [String]) -> Void) async -> Section<[MeterPoint]> {
        let unique = ids.uniqued()
        return await call.section(.metering) { options in
            try await Paging.all(chunking: unique) { chunk, token in
                let page = try await clients.metering.listMeterPoints(
                    .with {
                        select(&$0, chunk)
                        $0.pageSize = 1000
                        $0.pageToken = token
                    }, options: options)
                return (page.meterPoints, page.nextPageToken)
            }
        }
    }
}
