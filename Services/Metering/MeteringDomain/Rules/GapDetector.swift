/// Finds runs of expected intervals without any reading (VEE validation).
enum GapDetector {
    struct Report: Sendable, Equatable {
        /// Runs of missing intervals: [start, end) and how many intervals.
        var gaps: [(start: Int64, end: Int64, count: Int64)] = []
        var expected: Int64 = 0
        var present: Int64 = 0
        var invalid: Int64 = 0

        static func == (lhs: Report, rhs: Report) -> Bool {
            lhs.gaps.map(\.start) == rhs.gaps.map(\.start) && lhs.gaps.map(\.end) == rhs.gaps.map(\.end)
                && lhs.expected == rhs.expected && lhs.present == rhs.present && lhs.invalid == rhs.invalid
        }
    }

    /// `series`: one channel's readings in `expected` (aligned starts, ordered). Every aligned
    /// start in `expected` without a reading is missing; INVALID readings are present (and
    /// counted), since they are known bad rather than absent.
    static func report(_ series: [StoredReading], intervalSeconds: Int64, expected: SecondsRange) -> Report {
        var report = Report()
        let first = FixedPoint.alignUp(expected.start, to: intervalSeconds)
        report.expected = FixedPoint.multiples(of: intervalSeconds, from: expected.start, to: expected.end)
        var next = first
        func closeGap(before start: Int64) {
            if start > next { report.gaps.append((next, start, (start - next) / intervalSeconds)) }
        }
        for reading in series where reading.startSeconds >= next && reading.startSeconds < expected.end {
            closeGap(before: reading.startSeconds)
            report.present += 1
            if !reading.isUsable { report.invalid += 1 }
            next = reading.startSeconds + intervalSeconds
        }
        let last = first + report.expected * intervalSeconds
        closeGap(before: max(last, next))
        return report
    }
}
