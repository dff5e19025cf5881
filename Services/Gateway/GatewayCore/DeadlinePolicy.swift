import RPCCore

/// How much of the caller's time each downstream call gets.
///
/// Downstream calls end a margin before the caller's deadline, so the gateway still has time
/// to answer with a partial result (sections FAILED with DEADLINE_EXCEEDED) instead of the
/// caller seeing its own deadline pass. The margin is `marginFraction` of the time left when
/// the call arrived, at most `maxMargin`. A caller without a deadline gets `defaultTimeout`
/// per downstream call.
public struct DeadlinePolicy: Sendable, Hashable {
    public var marginFraction: Double
    public var maxMargin: Duration
    public var defaultTimeout: Duration

    public init(marginFraction: Double = 0.1, maxMargin: Duration = .milliseconds(50), defaultTimeout: Duration = .seconds(5)) {
        self.marginFraction = marginFraction
        self.maxMargin = maxMargin
        self.defaultTimeout = defaultTimeout
    }

    /// The margin kept back from `remaining` (never negative).
    public func margin(forRemaining remaining: Duration) -> Duration {
        guard remaining > .zero else { return .zero }
        return min(remaining * marginFraction, maxMargin)
    }

    /// The deadline shared by every downstream call of a request whose caller's deadline is
    /// `caller`, seen at `now`; nil when the caller set none (then use `defaultTimeout` per call).
    public func downstreamDeadline(caller: Deadline, now: ContinuousClock.Instant = .now) -> Deadline? {
        guard let instant = caller.instant else { return nil }
        let remaining = now.duration(to: instant)
        return Deadline(instant.advanced(by: .zero - margin(forRemaining: remaining)))
    }
}
