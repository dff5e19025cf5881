import RPCCore
import Synchronization

/// Outbound backpressure for one stream: a writer adds the bytes it hands to the event loop,
/// the event loop subtracts what nghttp2 has taken, and a writer that gets ahead of the peer
/// by more than `highWatermark` waits. Once the stream is closed, writers get its error.
final class OutboundFlowGate: Sendable {
    private struct State {
        var pendingBytes = 0
        var closedError: RPCError?
        var waiters: [CheckedContinuation<Void, any Error>] = []
    }

    private let state = Mutex(State())
    private let highWatermark: Int

    init(highWatermark: Int = 1 << 20) {
        self.highWatermark = highWatermark
    }

    /// Reserves room for `bytes` (writer side); waits while too much is in flight.
    func reserve(_ bytes: Int) async throws {
        let mustWait: Bool = try state.withLock { state in
            if let error = state.closedError { throw error }
            state.pendingBytes += bytes
            return state.pendingBytes > highWatermark
        }
        guard mustWait else { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let result: Result<Void, any Error>? = state.withLock { state in
                if let error = state.closedError { return .failure(error) }
                if state.pendingBytes <= highWatermark { return .success(()) }
                state.waiters.append(continuation)
                return nil
            }
            if let result { continuation.resume(with: result) }
        }
    }

    /// The event loop handed `bytes` to nghttp2.
    func released(_ bytes: Int) {
        let waiters: [CheckedContinuation<Void, any Error>] = state.withLock { state in
            state.pendingBytes -= bytes
            guard state.pendingBytes <= highWatermark / 2, !state.waiters.isEmpty else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The stream can take no more messages; current and future writers get `error`.
    func close(_ error: RPCError) {
        let waiters: [CheckedContinuation<Void, any Error>] = state.withLock { state in
            if state.closedError == nil { state.closedError = error }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(throwing: error) }
    }

    var closedError: RPCError? { state.withLock { $0.closedError } }
}
