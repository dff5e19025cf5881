import Foundation
import Synchronization

/// Tells watchers that the outage change log grew, and to which sequence. Fed after each
/// commit; each watcher's stream keeps only the newest head, because watchers re-read the
/// durable log from their own position: a signal is a wake-up, not the data, so a missed or
/// merged signal can never lose or repeat a change.
public final class ChangeSignal: Sendable {
    private struct State {
        var head: Int64 = 0
        var watchers: [UUID: AsyncStream<Int64>.Continuation] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// The highest sequence published so far.
    public var head: Int64 { state.withLock { $0.head } }

    func publish(_ sequence: Int64) {
        let watchers = state.withLock { state -> [AsyncStream<Int64>.Continuation] in
            state.head = max(state.head, sequence)
            return Array(state.watchers.values)
        }
        for watcher in watchers { watcher.yield(sequence) }
    }

    /// A stream of heads, registered before it is returned (so nothing published after this
    /// call is missed), ended when the caller's task ends.
    func subscribe() -> (id: UUID, heads: AsyncStream<Int64>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: Int64.self, bufferingPolicy: .bufferingNewest(1))
        state.withLock { $0.watchers[id] = continuation }
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(id) }
        return (id, stream)
    }

    func unsubscribe(_ id: UUID) {
        let continuation = state.withLock { $0.watchers.removeValue(forKey: id) }
        continuation?.finish()
    }
}
