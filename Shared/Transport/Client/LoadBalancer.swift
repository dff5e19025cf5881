import RPCCore
import Synchronization

/// Picks the connection for each call attempt among a channel's subchannels.
final class LoadBalancer: Sendable {
    private let subchannels: [Subchannel]
    private let policy: LoadBalancingPolicy
    /// pick-first: the subchannel in use; round-robin: the rotation counter.
    private let cursor = Atomic<Int>(0)

    init(subchannels: [Subchannel], policy: LoadBalancingPolicy) {
        precondition(!subchannels.isEmpty, "a channel needs at least one endpoint")
        self.subchannels = subchannels
        self.policy = policy
    }

    func connection(waitForReady: Bool, deadline: Deadline) async throws -> ClientConnection {
        let count = subchannels.count
        let start: Int
        switch policy {
        case .pickFirst:
            start = cursor.load(ordering: .relaxed)
        case .roundRobin:
            // Every endpoint takes its turn (and so gets connected); one in backoff fails fast
            // and the next one is tried.
            start = cursor.wrappingAdd(1, ordering: .relaxed).oldValue & .max
        }
        var lastError = RPCError(code: .unavailable, message: "no endpoint reachable")
        for offset in 0..<count {
            let index = (start + offset) % count
            do {
                let connection = try await subchannels[index].connection(waitForReady: false, deadline: deadline)
                if policy == .pickFirst { cursor.store(index, ordering: .relaxed) }
                return connection
            } catch let error as RPCError {
                lastError = error
            }
        }
        guard waitForReady else { throw lastError }
        return try await subchannels[start % count].connection(waitForReady: true, deadline: deadline)
    }

    func shutdown() {
        for subchannel in subchannels { subchannel.shutdown() }
    }
}
