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
        let range = try SecondsRange(request.timeRange, field: "time_range")
        guard request.bucketSize.isSpecified else { throw MeteringError.invalid("bucket_size is required (HOUR, DAY or MONTH)") }
        var profile: ConsumptionProfile
        let points: [StoredMeterPoint]
        switch request.subject {
        case .meterPointID(let id):
            points = [try await meterPoint(id)]
            profile = ConsumptionProfile()
            profile.meterPointID = id
        case .premiseID(let premiseID):
            points = try await premiseMeterPoints(premiseID, commodity: request.commodity)
            profile = ConsumptionProfile()
            profile.premiseID = premiseID
        case nil:
            throw MeteringError.invalid("meter_point_id or premise_id is required")
        }
        let calendar = try LocalCalendar(
            timeZone: request.timeZone.isEmpty ? points[0].resource.timeZone : request.timeZone, field: "time_zone")
        let grid = try BucketGrid(range: range, size: request.bucketSize, calendar: calendar)
        let now = clock.epochSeconds()
        let fill = request.fillGaps
        let accumulator = try await store.read { db in
            var accumulator = ProfileAccumulator(grid: grid)
            for point in points { try Self.accumulate(point, into: &accumulator, fill: fill, now: now, db) }
            return accumulator
        }
        let summed = try accumulator.profile(unit: points[0].unit)
        profile.meterPointIDs = points.map(\.id)
        profile.timeRange = summed.timeRange
        profile.bucketSize = request.bucketSize
        profile.timeZone = calendar.identifier
        profile.unit = summed.unit
        profile.buckets = summed.buckets
        profile.totalDelivered = summed.totalDelivered
        profile.totalReceived = summed.totalReceived
        profile.totalNet = summed.totalNet
        profile.gapsFilled = fill
        let result = profile
        return .with { $0.profile = result }
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
