import MeteringAPI

/// The buckets of a consumption profile: consecutive [start, next start) spans covering the
/// requested range aligned outward. HOUR buckets are UTC hours; DAY and MONTH buckets follow
/// the local calendar, so a DST day is 23 or 25 hours long.
struct BucketGrid: Sendable, Equatable {
    /// A profile has at most this many buckets (e.g. ~1 year of hours, 27 years of days).
    static let maximumBucketCount = 10_000

    /// Bucket starts, ascending; bucket `i` ends at `starts[i + 1]` or `end`.
    let starts: [Int64]
    let end: Int64

    init(range: SecondsRange, size: BucketSize, calendar: LocalCalendar) throws {
        var starts: [Int64] = []
        var cursor: Int64
        let step: (Int64) -> Int64
        switch size {
        case .hour:
            cursor = FixedPoint.alignUp(range.start - 3599, to: 3600)
            step = { $0 + 3600 }
        case .day:
            cursor = calendar.startOfDay(range.start)
            step = { calendar.nextMidnight(after: $0) }
        case .month:
            cursor = calendar.startOfMonth(range.start)
            step = { calendar.adding(.month, 1, to: $0) }
        default:
            throw MeteringError.invalid("bucket_size is required (HOUR, DAY or MONTH)")
        }
        while cursor < range.end {
            guard starts.count < Self.maximumBucketCount else {
                throw MeteringError.invalid("time_range spans more than \(Self.maximumBucketCount) buckets; use a larger bucket_size")
            }
            starts.append(cursor)
            cursor = step(cursor)
        }
        self.starts = starts
        self.end = cursor
    }

    var range: SecondsRange { SecondsRange(start: starts.first ?? end, end: end) }

    func bucketEnd(_ index: Int) -> Int64 { index + 1 < starts.count ? starts[index + 1] : end }

    /// The bucket holding `instant`, nil outside the grid.
    func index(of instant: Int64) -> Int? {
        guard let first = starts.first, instant >= first, instant < end else { return nil }
        var low = 0, high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= instant { low = middle } else { high = middle - 1 }
        }
        return low
    }
}
