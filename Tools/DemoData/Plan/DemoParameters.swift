import Foundation

/// What a demo data set is a function of: same parameters → the same plan, byte for byte.
public struct DemoParameters: Sendable, Hashable {
    public var seed: UInt64
    public var customers: Int
    public var days: Int
    /// The wall clock of the run; only its UTC day matters (see `windowEnd`), so re-runs on the
    /// same day produce the same data and are idempotent.
    public var now: Date

    public init(seed: UInt64 = 42, customers: Int = 200, days: Int = 30, now: Date = Date()) {
        self.seed = seed
        self.customers = customers
        self.days = days
        self.now = now
    }

    static let secondsPerDay: Int64 = 86_400

    /// End of the reading window (exclusive): the last UTC midnight at or before `now`.
    public var windowEnd: Int64 {
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        return seconds - ((seconds % Self.secondsPerDay) + Self.secondsPerDay) % Self.secondsPerDay
    }

    /// Start of the reading window (inclusive): `days` whole UTC days before its end.
    public var windowStart: Int64 { windowEnd - Int64(days) * Self.secondsPerDay }

    /// Prefix of every request_id: a re-run with the same parameters (same UTC day) replays the
    /// same requests, so the services answer with what they stored the first time.
    public var requestTag: String {
        "demo-s\(seed)-c\(customers)-d\(days)-t\(windowEnd / Self.secondsPerDay)"
    }

    /// Checks the ranges the planner relies on; returns a message naming the option.
    public func problem() -> String? {
        if customers < 2 { return "--customers must be at least 2 (one residential and one commercial)" }
        if customers > 10_000_000 { return "--customers must be at most 10000000" }
        if days < 2 { return "--days must be at least 2 (a bill needs one whole local day)" }
        if days > 400 { return "--days must be at most 400" }
        return nil
    }
}
