import GatewayAPI
import MeteringAPI
import QuantumTypes

/// The meter points at many premises with each one's consumption profile, in one
/// BatchGetConsumptionProfiles per 100 premises, instead of a ListMeterPoints and then one
/// GetConsumptionProfile per meter point (one dependent hop and N calls fewer).
struct ConsumptionLookup: Sendable {
    let clients: GatewayClients
    let call: DownstreamCall

    /// The meter-point section (the batch call's outcome) and, inside it, each meter point with
    /// its consumption and that consumption's own status (e.g. WITHHELD).
    func meterPoints(premiseIDs: [String], window: TimeRange, bucketSize: BucketSize) async -> Section<[MeterPointView]> {
        let unique = premiseIDs.filter { !$0.isEmpty }.uniqued()
        guard !unique.isEmpty else { return Section(value: [], status: SectionStatuses.ok(.metering)) }
        return await call.section(.metering) { options in
            var views: [MeterPointView] = []
            for chunk in Paging.chunks(unique, of: 100) {
                let response = try await clients.metering.batchGetConsumptionProfiles(
                    .with {
                        $0.premiseIDs = chunk
                        $0.timeRange = window
                        $0.bucketSize = bucketSize
                    }, options: options)
                views += response.meterPoints.map { entry in
                    MeterPointView.with {
                        $0.meterPoint = entry.meterPoint
                        $0.consumption = entry.profile
                        $0.consumptionStatus = SectionStatuses.entry(
                            code: entry.statusCode, message: entry.statusMessage, service: .metering)
                    }
                }
            }
            return views
        }
    }
}
