import Foundation
import OutageAPI
import Synchronization

/// A committed grid or pipeline sample, as WatchGridAlarms subscribers see it.
public enum StateSample: Sendable {
    case grid(GridStateSample)
    case pipeline(PipelineStateSample)
}

/// Hands committed samples to alarm watchers. Each watcher has a bounded buffer; one that
/// cannot keep up loses its subscription (it is told, and ends with RESOURCE_EXHAUSTED)
/// rather than making ingestion wait or memory grow.
public final class SampleBroadcaster: Sendable {
    public static let bufferLimit = 10_000
    private let watchers = Mutex<[UUID: AsyncStream<StateSample>.Continuation]>([:])
    private let overflowed = Mutex<Set<UUID>>([])

    public init() {}

    func publish(_ samples: [StateSample]) {
        let current = watchers.withLock { Array($0) }
        for (id, watcher) in current {
            for sample in samples {
                if case .dropped = watcher.yield(sample) {
                    overflowed.withLock { _ = $0.insert(id) }
                    watcher.finish()
                    break
                }
            }
        }
    }

    func subscribe() -> (id: UUID, samples: AsyncStream<StateSample>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: StateSample.self, bufferingPolicy: .bufferingOldest(Self.bufferLimit))
        watchers.withLock { $0[id] = continuation }
        return (id, stream)
    }

    /// Removes the watcher; true when it was ended for falling behind.
    func unsubscribe(_ id: UUID) -> Bool {
        watchers.withLock { $0.removeValue(forKey: id) }?.finish()
        return overflowed.withLock { $0.remove(id) != nil }
    }
}
