import NIOCore
import RPCCore
import Synchronization

/// The connection to one endpoint: connects lazily, reconnects with gRPC backoff after a
/// failure, and hands out its connection to calls.
final class Subchannel: Sendable {
    enum ConnectivityState: Sendable, Equatable {
        case idle, connecting, ready, transientFailure, shutdown
    }

    let endpoint: Endpoint
    /// The name the caller asked for (`:authority`), which `endpoint` is one address of.
    let authority: String
    private let configuration: ChannelConfiguration
    private let keepaliveInterval: KeepaliveInterval?

    private struct State {
        var connectivity = ConnectivityState.idle
        var connection: ClientConnection?
        /// Callers waiting for the connect in progress.
        var waiters: [CheckedContinuation<ClientConnection, any Error>] = []
        var backoff: ConnectionBackoffState
        /// In transient failure: when the next attempt may start, and why the last one failed.
        var retryAt: ContinuousClock.Instant?
        var lastError: RPCError?
    }

    private let state: Mutex<State>

    init(
        endpoint: Endpoint, authority: String? = nil, configuration: ChannelConfiguration,
        keepaliveInterval: KeepaliveInterval? = nil
    ) {
        self.endpoint = endpoint
        self.keepaliveInterval = keepaliveInterval
        self.authority = authority ?? endpoint.description
        self.configuration = configuration
        self.state = Mutex(State(backoff: ConnectionBackoffState(policy: configuration.backoff)))
    }

    var connectivity: ConnectivityState { state.withLock { $0.connectivity } }

    /// A ready connection. Fails fast with UNAVAILABLE while in transient failure, unless
    /// `waitForReady`, in which case it waits (until `deadline`) for a later attempt to succeed.
    func connection(waitForReady: Bool, deadline: Deadline) async throws -> ClientConnection {
        while true {
            enum Step { case ready(ClientConnection), connect, wait, backoff(ContinuousClock.Instant), fail(RPCError) }
            let step: Step = state.withLock { state in
                switch state.connectivity {
                case .ready:
                    if let connection = state.connection, connection.isAvailable { return .ready(connection) }
                    state.connection = nil
                    state.connectivity = .connecting
                    return .connect
                case .idle:
                    state.connectivity = .connecting
                    return .connect
                case .connecting:
                    return .wait
                case .transientFailure:
                    let error = state.lastError ?? RPCError(code: .unavailable, message: "\(endpoint) unreachable")
                    guard let retryAt = state.retryAt, retryAt > .now else {
                        state.connectivity = .connecting
                        return .connect
                    }
                    return waitForReady ? .backoff(retryAt) : .fail(error)
                case .shutdown:
                    return .fail(RPCError(code: .unavailable, message: "channel is closed"))
                }
            }
            switch step {
            case .ready(let connection):
                return connection
            case .fail(let error):
                throw error
            case .connect:
                startConnecting()
            case .wait:
                break
            case .backoff(let retryAt):
                if let deadlineInstant = deadline.instant, deadlineInstant < retryAt {
                    try await Task.sleep(until: deadlineInstant, clock: .continuous)
                    throw RPCError(code: .deadlineExceeded, message: "deadline exceeded while waiting for \(endpoint)")
                }
                try await Task.sleep(until: retryAt, clock: .continuous)
                continue
            }
            do {
                return try await withCheckedThrowingContinuation { continuation in
                    let connection: ClientConnection? = state.withLock { state in
                        if state.connectivity == .ready, let connection = state.connection { return connection }
                        state.waiters.append(continuation)
                        return nil
                    }
                    if let connection { continuation.resume(returning: connection) }
                }
            } catch let error as RPCError where waitForReady && error.code == .unavailable && !deadline.isExpired {
                continue  // the attempt failed; wait for the next one
            }
        }
    }

    private func startConnecting() {
        let timeout = configuration.backoff.minConnectTimeout
        let token = ConnectionToken()
        Task {
            do {
                let connection = try await ClientConnection.connect(
                    to: endpoint, authority: authority, configuration: configuration, keepaliveInterval: keepaliveInterval,
                    connectTimeout: timeout, token: token,
                    onGoingAway: { [weak self] in self?.connectionLost(token) },
                    onClosed: { [weak self] in self?.connectionLost(token) })
                let waiters = state.withLock { state in
                    guard state.connectivity != .shutdown else { return [CheckedContinuation<ClientConnection, any Error>]() }
                    state.connectivity = .ready
                    state.connection = connection
                    state.backoff.reset()
                    state.lastError = nil
                    defer { state.waiters = [] }
                    return state.waiters
                }
                if connectivity == .shutdown { connection.close() }
                for waiter in waiters { waiter.resume(returning: connection) }
            } catch {
                let rpcError = RPCError(code: .unavailable, message: "cannot connect to \(endpoint): \(error)")
                let waiters = state.withLock { state in
                    if state.connectivity != .shutdown {
                        state.connectivity = .transientFailure
                        state.retryAt = .now + state.backoff.next()
                        state.lastError = rpcError
                    }
                    defer { state.waiters = [] }
                    return state.waiters
                }
                for waiter in waiters { waiter.resume(throwing: rpcError) }
            }
        }
    }

    /// GOAWAY or close: calls in flight finish on the old connection; the next call reconnects.
    private func connectionLost(_ token: ConnectionToken) {
        state.withLock { state in
            guard let connection = state.connection, connection.token === token else { return }
            connection.markUnavailable()
            if state.connectivity == .ready {
                state.connectivity = .idle
                state.connection = nil
            }
        }
    }

    func shutdown() {
        let (connection, waiters) = state.withLock { state in
            state.connectivity = .shutdown
            defer { state.connection = nil; state.waiters = [] }
            return (state.connection, state.waiters)
        }
        connection?.close()
        for waiter in waiters { waiter.resume(throwing: RPCError(code: .unavailable, message: "channel is closed")) }
    }
}
