import CoreMetrics
import Synchronization

/// Each customer's `OverviewKeys` as the last overview for the same caller found them, so the
/// next overview can make its second hop beside GetCustomerSummary instead of after it (one
/// dependent hop instead of two). A guess never decides the answer: the fresh summary does,
/// and a guess that does not cover it is made again (see `FanOut.overviewLookups`), so a stale
/// entry costs a wasted call or the second hop, never a stale or wrong answer.
///
/// Keyed by the caller's `authorization` as well as the customer, because what a caller may
/// see (and so which ids it saw) depends on who it is; one caller's ids are never used to make
/// calls for another. Bounded two ways: entries expire after `timeToLive`, and when the newer
/// of two generations fills up it becomes the older one and the oldest generation is dropped
/// (an approximate LRU in O(1): a hit in the older generation moves the entry to the newer).
///
/// Counts how each overview's second hop was made, for operators to see the cache work:
/// `gateway_overview_second_hop_total{made="beside_summary"|"partly_after_summary"|"after_summary"}`.
public final class OverviewKeyCache: Sendable {
    /// How one overview's second hop was made.
    public enum SecondHop: String, Sendable, CaseIterable {
        /// Guessed from remembered ids, every lookup kept: one hop.
        case besideSummary = "beside_summary"
        /// Guessed, but a lookup had to be made again after the summary (new ids, or a failure).
        case partlyAfterSummary = "partly_after_summary"
        /// Nothing remembered (first overview for this caller and customer, or expired): two hops.
        case afterSummary = "after_summary"
    }

    public struct Key: Hashable, Sendable {
        public let caller: String
        public let customerID: String

        public init(caller: String, customerID: String) {
            self.caller = caller
            self.customerID = customerID
        }
    }

    private struct Entry {
        let keys: OverviewKeys
        let storedAt: ContinuousClock.Instant
    }

    private struct Generations {
        var newer: [Key: Entry] = [:]
        var older: [Key: Entry] = [:]
    }

    /// Most entries in one generation (so at most twice this in all).
    public let generationCapacity: Int
    public let timeToLive: Duration
    private let generations = Mutex(Generations())
    private let secondHops: [SecondHop: CoreMetrics.Counter]

    public init(
        generationCapacity: Int = 10_000, timeToLive: Duration = .seconds(300), metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.generationCapacity = max(1, generationCapacity)
        self.timeToLive = timeToLive
        secondHops = Dictionary(uniqueKeysWithValues: SecondHop.allCases.map {
            ($0, CoreMetrics.Counter(label: "gateway_overview_second_hop_total", dimensions: [("made", $0.rawValue)], factory: metricsFactory))
        })
    }

    /// Counts one overview's second hop.
    public func record(_ hop: SecondHop) { secondHops[hop]?.increment() }

    public var count: Int { generations.withLock { $0.newer.count + $0.older.count } }

    /// The keys remembered for `key`, unless they are older than `timeToLive`.
    public func keys(for key: Key, now: ContinuousClock.Instant = .now) -> OverviewKeys? {
        generations.withLock { generations in
            if let entry = generations.newer[key] {
                guard now - entry.storedAt < timeToLive else {
                    generations.newer[key] = nil
                    return nil
                }
                return entry.keys
            }
            guard let entry = generations.older.removeValue(forKey: key), now - entry.storedAt < timeToLive else { return nil }
            Self.insert(entry, for: key, into: &generations, capacity: generationCapacity)
            return entry.keys
        }
    }

    public func remember(_ keys: OverviewKeys, for key: Key, now: ContinuousClock.Instant = .now) {
        generations.withLock { generations in
            generations.older[key] = nil
            Self.insert(Entry(keys: keys, storedAt: now), for: key, into: &generations, capacity: generationCapacity)
        }
    }

    /// Drops the entry, e.g. when the customer is gone or the caller may no longer read it.
    public func forget(_ key: Key) {
        generations.withLock { generations in
            generations.newer[key] = nil
            generations.older[key] = nil
        }
    }

    private static func insert(_ entry: Entry, for key: Key, into generations: inout Generations, capacity: Int) {
        if generations.newer[key] == nil && generations.newer.count >= capacity {
            generations.older = generations.newer
            generations.newer = [:]
        }
        generations.newer[key] = entry
    }
}
