import Synchronization

/// gRFC A6 retry throttling: a token bucket shared by a channel's calls. Failures cost a
/// token, successes earn `tokenRatio`; retries stop while tokens ≤ half the maximum.
final class RetryThrottle: Sendable {
    private let tokens: Mutex<Double>
    private let policy: RetryThrottling

    init(policy: RetryThrottling) {
        self.policy = policy
        self.tokens = Mutex(policy.maxTokens)
    }

    func recordFailure() {
        tokens.withLock { $0 = max(0, $0 - 1) }
    }

    func recordSuccess() {
        tokens.withLock { $0 = min(policy.maxTokens, $0 + policy.tokenRatio) }
    }

    var allowsRetry: Bool { tokens.withLock { $0 > policy.maxTokens / 2 } }
}
