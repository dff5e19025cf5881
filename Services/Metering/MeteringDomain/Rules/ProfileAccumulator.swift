import MeteringAPI
import ProtoRuntime
import QuantumTypes

/// Sums interval values into a profile's buckets, exactly (integer milli-units).
struct ProfileAccumulator: Sendable {
    struct Totals: Sendable, Equatable {
        var delivered: Int64 = 0
        var received: Int64 = 0
        var peak: Int64?
        var peakStart: Int64 = 0
        var intervals: Int32 = 0
        var expected: Int64 = 0
        var estimated: Int32 = 0
    }

    let grid: BucketGrid
    private(set) var buckets: [Totals]

    init(grid: BucketGrid) {
        self.grid = grid
        buckets = Array(repeating: Totals(), count: grid.starts.count)
    }

    /// Counts the intervals one (meter point, channel) series should have in each bucket:
    /// aligned starts in [activeFrom, activeUntil) whose interval has ended by `now`.
    mutating func expect(intervalSeconds: Int64, activeFrom: Int64, activeUntil: Int64, now: Int64) {
        let until = min(activeUntil, now - intervalSeconds + 1)
        for index in buckets.indices {
            buckets[index].expected += FixedPoint.multiples(
                of: intervalSeconds, from: max(grid.starts[index], activeFrom), to: min(grid.bucketEnd(index), until))
        }
    }

    /// Adds one interval value of `channel`; values outside the grid are ignored.
    mutating func add(_ value: IntervalValue, channel: ReadingChannel) throws {
        guard let index = grid.index(of: value.startSeconds) else { return }
        var totals = buckets[index]
        if channel == .delivered {
            totals.delivered = try FixedPoint.add(totals.delivered, value.milli)
            // The earliest of equal peaks wins, whatever order series arrive in.
            if totals.peak.map({ value.milli > $0 || (value.milli == $0 && value.startSeconds < totals.peakStart) }) ?? true {
                totals.peak = value.milli
                totals.peakStart = value.startSeconds
            }
        } else {
            totals.received = try FixedPoint.add(totals.received, value.milli)
        }
        totals.intervals += 1
        if value.estimated { totals.estimated += 1 }
        buckets[index] = totals
    }

    /// The buckets as messages, in `unit`, with totals over the range.
    func profile(unit: EnergyUnit) throws -> ConsumptionProfile {
        let energy = { (milli: Int64) in EnergyQuantity.with { $0.milliValue = milli; $0.unit = unit } }
        var profile = ConsumptionProfile()
        var delivered: Int64 = 0, received: Int64 = 0
        for (index, totals) in buckets.enumerated() {
            delivered = try FixedPoint.add(delivered, totals.delivered)
            received = try FixedPoint.add(received, totals.received)
            profile.buckets.append(
                .with {
                    $0.startTime = Timestamp(epochSeconds: grid.starts[index])
                    $0.endTime = Timestamp(epochSeconds: grid.bucketEnd(index))
                    $0.delivered = energy(totals.delivered)
                    $0.received = energy(totals.received)
                    $0.net = energy(totals.delivered - totals.received)
                    if let peak = totals.peak {
                        $0.peakIntervalValue = energy(peak)
                        $0.peakIntervalStart = Timestamp(epochSeconds: totals.peakStart)
                    }
                    $0.intervalCount = totals.intervals
                    $0.missingIntervalCount = Int32(clamping: max(0, totals.expected - Int64(totals.intervals)))
                    $0.estimatedIntervalCount = totals.estimated
                })
        }
        profile.unit = unit
        profile.timeRange = grid.range.timeRange
        profile.totalDelivered = energy(delivered)
        profile.totalReceived = energy(received)
        profile.totalNet = energy(delivered - received)
        return profile
    }
}
