import MeteringAPI
import ProtoRuntime
import RPCCore
import ServiceKit

/// The metering service's use cases over its store: each takes a request message, applies the
/// rules (`Validation/`, `Rules/`), reads or writes the store, and returns the response message,
/// throwing `RPCError`s. The gRPC handler is a thin shell around this type.
public struct MeteringOperations: Sendable {
    /// The spike multiple ValidateReadings applies when the request leaves it 0, × 1000.
    public static let defaultSpikeThresholdMilli: Int64 = 3000

    let store: any Store
    let pages: PageTokenCodec
    let clock: MeteringClock
    let ids: ResourceIDGenerator
    /// Checks premises with customer-service; nil when no `customer` peer is configured, and
    /// then any well-formed premise id is accepted.
    let premises: (any PremiseDirectory)?
    let spikeThresholdMilli: Int64
    /// Shares write transactions among concurrent ingestion streams.
    let commits: GroupCommitter
    let meterPointCache = MeterPointCache()

    public init(
        store: any Store, pages: PageTokenCodec, premises: (any PremiseDirectory)? = nil,
        spikeThresholdMilli: Int64 = MeteringOperations.defaultSpikeThresholdMilli,
        clock: MeteringClock = .system, ids: ResourceIDGenerator = .shared
    ) {
        self.store = store
        self.pages = pages
        self.premises = premises
        self.spikeThresholdMilli = spikeThresholdMilli
        self.clock = clock
        self.ids = ids
        self.commits = GroupCommitter(store: store)
    }

    /// The meter point named by a request's `meter_point_id`, or NOT_FOUND / INVALID_ARGUMENT.
    func meterPoint(_ id: String, field: String = "meter_point_id") async throws -> StoredMeterPoint {
        try Self.checkMeterPointID(id, field: field)
        return try await store.read { db in try MeterPointTable.require(id, db) }
    }

    static func checkMeterPointID(_ id: String, field: String = "meter_point_id") throws {
        guard ResourceID.isWellFormed(id, prefix: "MTR") else {
            throw MeteringError.invalid("\(field): '\(id)' is not a meter point id (MTR-…)")
        }
    }
}
