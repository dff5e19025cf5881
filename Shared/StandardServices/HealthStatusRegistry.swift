import GRPCHealthV1
import Synchronization

/// The serving status of each service in a process, and everyone watching it.
///
/// The empty name `""` is the server as a whole. The lifecycle sets every service to
/// NOT_SERVING when draining, so load balancers stop sending before connections close.
public final class HealthStatusRegistry: Sendable {
    public typealias ServingStatus = HealthCheckResponse.ServingStatus

    private struct State {
        var statuses: [String: ServingStatus] = [:]
        var watchers: [String: [Int: AsyncStream<ServingStatus>.Continuation]] = [:]
        var nextWatcherID = 0
    }

    private let state = Mutex(State())

    public init(services: [String] = [], initialStatus: ServingStatus = .serving) {
        state.withLock { state in
            state.statuses[""] = initialStatus
            for service in services { state.statuses[service] = initialStatus }
        }
    }

    /// The status of `service`, nil when the registry does not know it.
    public func status(of service: String) -> ServingStatus? {
        state.withLock { $0.statuses[service] }
    }

    /// Every known service and its status.
    public var all: [String: ServingStatus] { state.withLock { $0.statuses } }

    /// Sets the status of one service; watchers see the change if it is one.
    public func setStatus(_ status: ServingStatus, for service: String) {
        let continuations = state.withLock { state -> [AsyncStream<ServingStatus>.Continuation] in
            guard state.statuses[service] != status else { return [] }
            state.statuses[service] = status
            return Array(state.watchers[service, default: [:]].values)
        }
        for continuation in continuations { continuation.yield(status) }
    }

    /// Sets every known service (and the server) to `status`, e.g. NOT_SERVING when draining.
    public func setAll(_ status: ServingStatus) {
        for service in state.withLock({ Array($0.statuses.keys) }) { setStatus(status, for: service) }
    }

    /// The current status (SERVICE_UNKNOWN if unknown), then every change, until the caller stops.
    public func watch(_ service: String) -> AsyncStream<ServingStatus> {
        let (stream, continuation) = AsyncStream<ServingStatus>.makeStream(bufferingPolicy: .bufferingNewest(16))
        let id = state.withLock { state -> Int in
            let id = state.nextWatcherID
            state.nextWatcherID += 1
            state.watchers[service, default: [:]][id] = continuation
            // Yield under the lock so no change can slip between the snapshot and the subscription.
            continuation.yield(state.statuses[service] ?? .serviceUnknown)
            return id
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { state in _ = state.watchers[service]?.removeValue(forKey: id) }
        }
        return stream
    }
}
