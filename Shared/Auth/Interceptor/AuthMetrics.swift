import CoreMetrics
import Synchronization

/// Counts authentication and authorization outcomes:
/// `auth_calls_total{outcome="ok"|"exempt"|"unauthenticated"|"permission_denied", reason=…}`
/// (reason: a ``TokenRejection/reason``, or the missing scope's name for permission_denied).
public final class AuthMetrics: Sendable {
    private struct Key: Hashable {
        let outcome: String
        let reason: String
    }

    private let factory: any MetricsFactory
    private let counters = Mutex<[Key: CoreMetrics.Counter]>([:])
    /// The outcome of nearly every call, made up front so the hot path takes no lock.
    private let okCounter: CoreMetrics.Counter

    public init(factory: any MetricsFactory) {
        self.factory = factory
        self.okCounter = CoreMetrics.Counter(label: "auth_calls_total", dimensions: [("outcome", "ok"), ("reason", "")], factory: factory)
    }

    func recordOK() { okCounter.increment() }

    func record(_ outcome: String, reason: String = "") {
        let key = Key(outcome: outcome, reason: reason)
        let counter = counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = CoreMetrics.Counter(
                label: "auth_calls_total", dimensions: [("outcome", outcome), ("reason", reason)], factory: factory)
            counters[key] = counter
            return counter
        }
        counter.increment()
    }
}
