/// The keys one ingestion stream wrote, each with the fingerprint it wrote: what tells an
/// identical replay (duplicate) from a conflicting one later in the same stream.
protocol WrittenKeys: Sendable {
    associatedtype Key: Sendable
    init()
    /// Remembers `fingerprint` for `key` unless the key is already there; returns the
    /// fingerprint remembered before (and then changes nothing), or nil for a new key.
    mutating func claim(_ key: Key, _ fingerprint: RowFingerprint) -> RowFingerprint?
    /// Forgets `key` (a row the store refused after it was claimed).
    mutating func forget(_ key: Key)
}

/// Any keys, in a hash table (DER samples: a handful per device and time).
struct HashedWrittenKeys<Key: Hashable & Sendable>: WrittenKeys {
    private var fingerprints: [Key: RowFingerprint] = [:]

    mutating func claim(_ key: Key, _ fingerprint: RowFingerprint) -> RowFingerprint? {
        guard let previous = fingerprints.updateValue(fingerprint, forKey: key) else { return nil }
        fingerprints[key] = previous
        return previous
    }

    mutating func forget(_ key: Key) { fingerprints[key] = nil }
}

/// Reading keys, as runs of evenly spaced interval starts per series (meter point, kind,
/// channel): a stream sends each series' intervals mostly in order, so remembering a row is
/// appending its fingerprint to the series' last run — no hashing, and memory is 16 bytes a
/// row in a few contiguous arrays instead of a hash table the size of the whole stream.
/// Starts that fit no run (out of order inside a run's span, or a series with very many runs)
/// go to a hash table.
struct WrittenReadingKeys: WrittenKeys {
    /// A series with this many runs takes further starts into the hash table (bounds the
    /// cost of inserting a run in the middle of a long list).
    static let runsPerSeries = 4096

    private struct Series: Hashable {
        let meterSeq: Int64
        let kind: Int32
        let channel: Int32
    }

    /// Starts `first`, `first + step`, … — exactly the starts remembered in it.
    private struct Run {
        var first: Int64
        /// 0 while the run has one start.
        var step: Int64 = 0
        var fingerprints: [RowFingerprint]

        var last: Int64 { first + step * Int64(fingerprints.count - 1) }

        func index(of start: Int64) -> Int? {
            if start == first { return 0 }
            guard step > 0, start > first, start <= last, (start - first) % step == 0 else { return nil }
            return Int((start - first) / step)
        }
    }

    /// A forgotten row's fingerprint (no valid row has a negative value).
    private static let forgotten = RowFingerprint(value: .min, detail: .min)

    private var seriesIndex: [Series: Int] = [:]
    /// Per series: runs ordered by `first`, with disjoint spans [first, last].
    private var runs: [[Run]] = []
    private var unordered: [ReadingKey: RowFingerprint] = [:]
    /// The series of the previous call (rows of one series come together).
    private var current: (series: Series, index: Int)?

    init() {}

    mutating func claim(_ key: ReadingKey, _ fingerprint: RowFingerprint) -> RowFingerprint? {
        let series = index(of: key)
        let start = key.startSeconds
        let position = lastRun(startingAtOrBefore: start, in: series)
        if position >= 0, let slot = runs[series][position].index(of: start) {
            let previous = runs[series][position].fingerprints[slot]
            guard previous == Self.forgotten else { return previous }
            runs[series][position].fingerprints[slot] = fingerprint
            return nil
        }
        if !unordered.isEmpty, let previous = unordered[key] { return previous }
        if position >= 0, start > runs[series][position].last {
            // Scalars only: a copy of the run would share its array and make the append copy it.
            let (first, step, last) = (runs[series][position].first, runs[series][position].step, runs[series][position].last)
            if step == 0 || start == last + step {
                if step == 0 { runs[series][position].step = start - first }
                runs[series][position].fingerprints.append(fingerprint)
                return nil
            }
        }
        if (position >= 0 && start <= runs[series][position].last) || runs[series].count >= Self.runsPerSeries {
            unordered[key] = fingerprint
        } else {
            runs[series].insert(Run(first: start, fingerprints: [fingerprint]), at: position + 1)
        }
        return nil
    }

    mutating func forget(_ key: ReadingKey) {
        let series = index(of: key)
        let position = lastRun(startingAtOrBefore: key.startSeconds, in: series)
        if position >= 0, let slot = runs[series][position].index(of: key.startSeconds) {
            runs[series][position].fingerprints[slot] = Self.forgotten
        } else {
            unordered[key] = nil
        }
    }

    /// The series' index in `runs`, added when new.
    private mutating func index(of key: ReadingKey) -> Int {
        let series = Series(meterSeq: key.meterSeq, kind: key.kind, channel: key.channel)
        if let current, current.series == series { return current.index }
        let index: Int
        if let known = seriesIndex[series] {
            index = known
        } else {
            index = runs.count
            seriesIndex[series] = index
            runs.append([])
        }
        current = (series, index)
        return index
    }

    /// The position of the last run with `first <= start`, or -1.
    private func lastRun(startingAtOrBefore start: Int64, in series: Int) -> Int {
        let list = runs[series]
        guard let tail = list.last else { return -1 }
        if tail.first <= start { return list.count - 1 }  // the usual case: appending
        var low = 0, high = list.count - 1  // answer in [low - 1, high)
        while low < high {
            let middle = (low + high) / 2
            if list[middle].first <= start { low = middle + 1 } else { high = middle }
        }
        return low - 1
    }
}
