/// The delay sequence of gRPC connection backoff: initial, then ×multiplier up to the max,
/// each randomised by ±jitter.
struct ConnectionBackoffState {
    let policy: ConnectionBackoff
    private var current: Double

    init(policy: ConnectionBackoff) {
        self.policy = policy
        self.current = policy.initialBackoff.seconds
    }

    /// The delay before the next attempt.
    mutating func next() -> Duration {
        let base = current
        current = min(current * policy.multiplier, policy.maxBackoff.seconds)
        let jittered = base * (1 + Double.random(in: -policy.jitter...policy.jitter))
        return .seconds(max(0, jittered))
    }

    mutating func reset() {
        current = policy.initialBackoff.seconds
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
