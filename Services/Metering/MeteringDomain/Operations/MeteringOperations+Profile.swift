import MeteringAPI
import QuantumTypes
import ServiceKit

extension MeteringOperations {
    /// How far outside the range gap filling looks for the neighbours it interpolates between.
    static let gapFillLookaroundSeconds: Int64 = 7 * 86_400

    /// Aggregates INTERVAL readings into buckets. Expected intervals per meter point: its
    /// primary channel (RECEIVED for GENERATION, else DELIVERED) always, the other channel when
    /// it has readings in the range; only intervals inside install…removal that have ended.
    public func getConsumptionProfile(_ request: GetConsumptionProfileRequest) async throws -> GetConsumptionProfileResponse {
        let shape = try ProfileShape(
            timeRange: request.timeRange, bucketSize: request.bucketSize, timeZone: request.timeZone, fillGaps: request.fillGaps)
        let points: [StoredMeterPoint]
        switch request.subject {
        case .meterPointID(let id):
            points = [try await meterPoint(id)]
        case .premiseID(let premiseID):
            points = try await premiseMeterPoints(premiseID, commodity: request.commodity)
        case nil:
            throw MeteringError.invalid("meter_point_id or premise_id is required")
        }
        let subject = request.subject
        let now = clock.epochSeconds()
        let profile = try await store.read { db in try Self.profile(of: points, subject: subject, shape: shape, now: now, db) }
        return .with { $0.profile = profile }
    }

    /// The profile of `points` (one meter point, or a premise's of one unit) summed into the
    /// buckets of `shape`, in the caller's read transaction. Both profile RPCs answer with this.
    static func profile(
        of points: [StoredMeterPoint], subject: GetConsumptionProfileRequest.Subject?, shape: ProfileShape, now: Int64, _ db: any StoreReading
    ) throws -> ConsumptionProfile {
        let calendar = try LocalCalendar(
            timeZone: shape.timeZone.isEmpty ? points[0].resource.timeZone : shape.timeZone, field: "time_zone")
        let grid = try BucketGrid(range: shape.range, size: shape.bucketSize, calendar: calendar)
        var accumulator = ProfileAccumulator(grid: grid)
        for point in points { try accumulate(point, into: &accumulator, fill: shape.fillGaps, now: now, db) }
        let summed = try accumulator.profile(unit: points[0].unit)
        var profile = ConsumptionProfile()
        switch subject {
        case .meterPointID(let id)?: profile.meterPointID = id
        case .premiseID(let id)?: profile.premiseID = id
        case nil: break
        }
        profile.meterPointIDs = points.map(\.id)
        profile.timeRange = summed.timeRange
        profile.bucketSize = shape.bucketSize
        profile.timeZone = calendar.identifier
        profile.unit = summed.unit
        profile.buckets = summed.buckets
        profile.totalDelivered = summed.totalDelivered
        profile.totalReceived = summed.totalReceived
        profile.totalNet = summed.totalNet
        profile.gapsFilled = shape.fillGaps
        return profile
    }

    private static func accumulate(
        _ point: StoredMeterPoint, into accumulator: inout ProfileAccumulator, fill: Bool, now: Int64, _ db: any StoreReading
    ) throws {
        let range = accumulator.grid.range
        let margin = fill ? gapFillLookaroundSeconds : 0
        var series: [ReadingChannel: [StoredReading]] = [:]
        try ReadingTable.forEachInterval(of: point, in: SecondsRange(start: range.start - margin, end: range.end + margin), db) {
            series[$0.channel, default: []].append($0)
        }
        for channel in [ReadingChannel.delivered, .received] {
            let readings = series[channel] ?? []
            let inRange = readings.contains { $0.startSeconds >= range.start && $0.startSeconds < range.end }
            guard channel == point.primaryChannel || inRange else { continue }
            accumulator.expect(intervalSeconds: point.intervalSeconds, activeFrom: point.activeFrom, activeUntil: point.activeUntil, now: now)
            for value in GapFilling.values(readings, intervalSeconds: point.intervalSeconds, range: range, fill: fill) {
                try accumulator.add(value, channel: channel)
            }
        }
    }

    /// The premise's REVENUE meter points of one commodity (the request's, or the only one).
    private func premiseMeterPoints(_ premiseID: String, commodity: Commodity) async throws -> [StoredMeterPoint] {
        guard ResourceID.isWellFormed(premiseID, prefix: "PRM") else {
            throw MeteringError.invalid("premise_id: '\(premiseID)' is not a premise id (PRM-…)")
        }
        let all = try await store.read { db in
            try db.query(
                "SELECT seq, body FROM meter_points WHERE premise_id = ? AND purpose = ? ORDER BY id",
                premiseID, Int64(MeterPointPurpose.revenue.rawValue)
            ).map(MeterPointTable.decode)
        }
        let commodities = Set(all.map(\.resource.commodity.rawValue))
        let chosen: [StoredMeterPoint]
        if commodity.isSpecified {
            chosen = all.filter { $0.resource.commodity == commodity }
        } else {
            guard commodities.count <= 1 else {
                throw MeteringError.precondition("premise '\(premiseID)' has ELECTRIC and GAS meter points; set commodity")
            }
            chosen = all
        }
        guard let first = chosen.first else {
            throw MeteringError.notFound("revenue meter point (of that commodity) at premise", premiseID)
        }
        guard chosen.allSatisfy({ $0.unit == first.unit }) else {
            throw MeteringError.precondition("premise '\(premiseID)' has meter points in different units; profile one meter point at a time")
        }
        return chosen
    }
}

/// What a profile request asks besides whose: the range, the buckets, the zone and gap
/// filling, checked alike for GetConsumptionProfile and BatchGetConsumptionProfiles.
struct ProfileShape: Sendable {
    let range: SecondsRange
    let bucketSize: BucketSize
    /// IANA zone for DAY and MONTH buckets; empty: each meter point's own.
    let timeZone: String
    let fillGaps: Bool

    init(timeRange: TimeRange?, bucketSize: BucketSize, timeZone: String, fillGaps: Bool) throws {
        range = try SecondsRange(timeRange, field: "time_range")
        guard bucketSize.isSpecified else { throw MeteringError.invalid("bucket_size is required (HOUR, DAY or MONTH)") }
        self.bucketSize = bucketSize
        self.timeZone = timeZone
        self.fillGaps = fillGaps
    }
}
