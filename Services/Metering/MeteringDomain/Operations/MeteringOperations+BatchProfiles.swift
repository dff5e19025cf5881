import MeteringAPI
import RPCCore
import ServiceKit

extension MeteringOperations {
    /// At most this many premise ids, or meter point ids, in one BatchGetConsumptionProfiles.
    public static let maximumBatchProfileIDs = 100
    /// At most this many meter points answered by one BatchGetConsumptionProfiles.
    public static let maximumBatchProfileMeterPoints = 1000

    /// Every meter point at the premises (premise order, then id) or the named meter points
    /// (request order, each once), each with its profile as GetConsumptionProfile(meter_point_id,
    /// same range, buckets and zone) answers it — the same rules and queries, all in one read
    /// transaction (one hop to the store's threads). A profile that fails for one meter point
    /// carries that status; the handler applies the separation policy meter point by meter point.
    public func batchGetConsumptionProfiles(_ request: BatchGetConsumptionProfilesRequest) async throws -> BatchGetConsumptionProfilesResponse {
        let subjects = try BatchProfileSubjects(premiseIDs: request.premiseIDs, meterPointIDs: request.meterPointIDs)
        let shape = try ProfileShape(timeRange: request.timeRange, bucketSize: request.bucketSize, timeZone: request.timeZone, fillGaps: false)
        // A bad zone or too many buckets is the whole request's fault, not one meter point's.
        _ = try BucketGrid(range: shape.range, size: shape.bucketSize, calendar: LocalCalendar(timeZone: shape.timeZone, field: "time_zone"))
        let now = clock.epochSeconds()
        let entries = try await store.read { db in
            try subjects.meterPoints(db).map { point in
                var entry = MeterPointConsumption.with { $0.meterPoint = point.resource }
                do {
                    entry.profile = try Self.profile(of: [point], subject: .meterPointID(point.id), shape: shape, now: now, db)
                } catch let error as RPCError {
                    entry.statusCode = Int32(error.code.rawValue)
                    entry.statusMessage = error.message
                }
                return entry
            }
        }
        return .with { $0.meterPoints = entries }
    }
}

/// Whose profiles a batch asks for: every meter point at some premises, or some meter points.
enum BatchProfileSubjects: Sendable {
    case premises([String])
    case meterPoints([String])

    /// Exactly one list, 1 to 100 well-formed ids; duplicates are answered once.
    init(premiseIDs: [String], meterPointIDs: [String]) throws {
        let limit = MeteringOperations.maximumBatchProfileIDs
        switch (premiseIDs.isEmpty, meterPointIDs.isEmpty) {
        case (false, false):
            throw MeteringError.invalid("set exactly one of premise_ids and meter_point_ids, not both")
        case (true, true):
            throw MeteringError.invalid("premise_ids or meter_point_ids is required (1 to \(limit) ids)")
        case (false, true):
            guard premiseIDs.count <= limit else { throw MeteringError.invalid("premise_ids: at most \(limit) ids, got \(premiseIDs.count)") }
            for id in premiseIDs where !ResourceID.isWellFormed(id, prefix: "PRM") {
                throw MeteringError.invalid("premise_ids: '\(id)' is not a premise id (PRM-…)")
            }
            self = .premises(premiseIDs.uniqued())
        case (true, false):
            guard meterPointIDs.count <= limit else {
                throw MeteringError.invalid("meter_point_ids: at most \(limit) ids, got \(meterPointIDs.count)")
            }
            for id in meterPointIDs { try MeteringOperations.checkMeterPointID(id, field: "meter_point_ids") }
            self = .meterPoints(meterPointIDs.uniqued())
        }
    }

    /// The meter points to answer, in answer order, read in the caller's transaction: more than
    /// 1000 at the premises is INVALID_ARGUMENT, an unknown meter point NOT_FOUND.
    func meterPoints(_ db: any StoreReading) throws -> [StoredMeterPoint] {
        switch self {
        case .premises(let premiseIDs):
            let limit = MeteringOperations.maximumBatchProfileMeterPoints
            var conditions = SQLConditions()
            conditions.add("premise_id", in: premiseIDs)
            let found = try MeteringOperations.meterPoints(where: conditions, limit: limit + 1, db)
            guard found.count <= limit else {
                throw MeteringError.invalid("premise_ids: these premises have more than \(limit) meter points; ask for fewer premises")
            }
            let position = Dictionary(uniqueKeysWithValues: premiseIDs.enumerated().map { ($1, $0) })
            return found.sorted { (position[$0.resource.premiseID] ?? 0, $0.id) < (position[$1.resource.premiseID] ?? 0, $1.id) }
        case .meterPoints(let ids):
            return try ids.map { try MeterPointTable.require($0, db) }
        }
    }
}
