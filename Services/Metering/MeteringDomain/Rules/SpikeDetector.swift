/// Flags readings far above the meter's recent typical value (VEE validation).
enum SpikeDetector {
    /// Fewer usable readings than this in the window give no median to compare with.
    static let minimumWindowReadings = 4

    struct Spike: Sendable, Equatable {
        let startSeconds: Int64
        let milli: Int64
        let medianMilli: Int64
        let ratioMilli: Int64
    }

    /// `series`: one channel's readings ordered by start, beginning `windowSeconds` before the
    /// checked range. A usable reading in `range` is a spike when value × 1000 > threshold ×
    /// median of the usable readings in [start − window, start) (itself excluded). A zero
    /// median gives no ratio and is skipped.
    static func spikes(_ series: [StoredReading], range: SecondsRange, windowSeconds: Int64, thresholdMilli: Int64) -> [Spike] {
        var window = SlidingMedian()
        var windowStart = 0
        var usable: [StoredReading] = []
        var spikes: [Spike] = []
        for reading in series where reading.isUsable {
            while windowStart < usable.count, usable[windowStart].startSeconds < reading.startSeconds - windowSeconds {
                window.remove(usable[windowStart].milli)
                windowStart += 1
            }
            if reading.startSeconds >= range.start, reading.startSeconds < range.end, window.count >= minimumWindowReadings,
                let median = window.median, median > 0, reading.milli * 1000 > thresholdMilli * median
            {
                spikes.append(
                    Spike(
                        startSeconds: reading.startSeconds, milli: reading.milli, medianMilli: median,
                        ratioMilli: FixedPoint.divideHalfEven(reading.milli * 1000, median)))
            }
            usable.append(reading)
            window.insert(reading.milli)
        }
        return spikes
    }
}

/// A multiset of values kept sorted, for the median of a sliding window.
struct SlidingMedian: Sendable {
    private var sorted: [Int64] = []

    var count: Int { sorted.count }

    /// The middle value; for an even count the mean of the two middle ones, rounded half to even.
    var median: Int64? {
        guard !sorted.isEmpty else { return nil }
        let middle = sorted.count / 2
        if sorted.count % 2 == 1 { return sorted[middle] }
        return FixedPoint.divideHalfEven(sorted[middle - 1] + sorted[middle], 2)
    }

    mutating func insert(_ value: Int64) { sorted.insert(value, at: position(of: value)) }

    mutating func remove(_ value: Int64) {
        let index = position(of: value)
        if index < sorted.count, sorted[index] == value { sorted.remove(at: index) }
    }

    /// The first index whose value is not less than `value`.
    private func position(of value: Int64) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
