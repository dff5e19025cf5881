/// One interval value that enters a profile: a stored usable reading or an interpolated fill.
struct IntervalValue: Sendable, Equatable {
    let startSeconds: Int64
    let milli: Int64
    let estimated: Bool
}

/// Turns one (meter point, channel) series into the interval values a profile sums.
enum GapFilling {
    /// `series`: readings of one channel ordered by start (may extend beyond `range` so gaps at
    /// its edges have neighbours). Returns the usable values with start in `range`, plus, when
    /// `fill`, one estimate for every missing interval that has a usable reading on both sides:
    /// linear interpolation between those two, rounded half to even.
    static func values(
        _ series: [StoredReading], intervalSeconds: Int64, range: SecondsRange, fill: Bool
    ) -> [IntervalValue] {
        var result: [IntervalValue] = []
        var previous: StoredReading?
        for reading in series where reading.isUsable {
            if fill, let before = previous {
                let steps = (reading.startSeconds - before.startSeconds) / intervalSeconds
                if steps > 1 {
                    for step in 1..<steps {
                        let start = before.startSeconds + step * intervalSeconds
                        guard start >= range.start, start < range.end else { continue }
                        let milli = FixedPoint.interpolate(from: before.milli, to: reading.milli, step: step, steps: steps)
                        result.append(IntervalValue(startSeconds: start, milli: milli, estimated: true))
                    }
                }
            }
            if reading.startSeconds >= range.start, reading.startSeconds < range.end {
                result.append(IntervalValue(startSeconds: reading.startSeconds, milli: reading.milli, estimated: reading.quality == .estimated))
            }
            previous = reading
        }
        return result
    }
}
