import NIOCore
import RPCCore
import Synchronization

/// The request side of a client- or bidi-streaming call across its attempts (gRFC A6).
///
/// The producer writes into this, not into an attempt: each message goes to the current
/// attempt (keeping that attempt's flow-control backpressure) and, until the call is
/// committed, is also remembered so that a retry can replay it on the next attempt. Buffered
/// `ByteBuffer`s share storage with what was sent, so remembering costs no copy.
///
/// The call commits (no more attempts, buffer dropped) when response headers arrive, when an
/// attempt's outcome is final, when the producer or caller gives up, or when the buffer would
/// grow past its limit.
final class RetryableRequestStream: Sendable {
    private struct State {
        /// The attempt the producer writes to; nil between attempts.
        var attempt: ClientStreamIO?
        /// A new attempt is being fed the buffered messages; the producer waits meanwhile
        /// so that its next message lands after them.
        var replaying = false
        var buffer: [ByteBuffer] = []
        var bufferedBytes = 0
        /// The producer half-closed.
        var ended = false
        var committed = false
        var committedAttempt: ClientStreamIO?
        /// The call ended without a committed attempt (no connection, cancelled, closed).
        var failure: (any Error)?
        /// The producer failed or the caller cancelled: the current attempt is the last.
        var aborted: RPCError?
        /// Bumped on every change the waiters below may care about.
        var version = 0
        var waiters: [CheckedContinuation<Void, Never>] = []

        mutating func changed() -> [CheckedContinuation<Void, Never>] {
            version += 1
            defer { waiters = [] }
            return waiters
        }
    }

    private let state = Mutex(State())
    private let bufferLimit: Int

    init(bufferLimit: Int) {
        self.bufferLimit = bufferLimit
    }

    // MARK: Producer side

    /// Sends one framed message; suspends while no attempt can take it and under the
    /// current attempt's flow control.
    func write(_ message: ByteBuffer) async throws {
        let (io, buffered) = try await waitUntil { state -> (ClientStreamIO, Bool)? in
            if let failure = state.failure { throw failure }
            guard let io = state.attempt, !state.replaying else { return nil }
            guard !state.committed else { return (io, false) }
            guard state.bufferedBytes + message.readableBytes <= self.bufferLimit else {
                // Past the limit the call can no longer be replayed: commit to this attempt.
                state.committed = true
                state.buffer = []
                state.bufferedBytes = 0
                return (io, false)
            }
            state.buffer.append(message)
            state.bufferedBytes += message.readableBytes
            return (io, true)
        }
        do {
            try await io.send(message)
        } catch {
            guard buffered else { throw error }
            // The attempt failed with the message remembered: if a retry follows, its replay
            // carries the message; if not, the failed attempt's status is the answer.
            try await waitUntil { state -> Void? in
                if let failure = state.failure { throw failure }
                if state.committed && state.attempt === io { throw error }
                guard let current = state.attempt, current !== io, !state.replaying else { return nil }
                return ()
            }
        }
    }

    /// Half-closes the request side of the current and every later attempt.
    func end() async throws {
        let io = try await waitUntil { state -> ClientStreamIO? in
            if let failure = state.failure { throw failure }
            guard let io = state.attempt, !state.replaying else { return nil }
            state.ended = true
            return io
        }
        io.endRequests()
    }

    /// The producer failed (or the caller cancelled): no more attempts, and the current one is
    /// cancelled with `error` unless it already ended.
    func abort(_ error: RPCError) {
        let (io, waiters) = state.withLock { state in
            if state.aborted == nil && state.failure == nil { state.aborted = error }
            return (state.attempt, state.changed())
        }
        io?.cancel(error)
        for waiter in waiters { waiter.resume() }
    }

    // MARK: Attempt side (the call runner)

    /// Makes `io` the current attempt and replays the remembered messages (and the
    /// half-close) into it. A replay cut short by the attempt failing is fine: its status
    /// decides what happens next.
    func attach(_ io: ClientStreamIO) async {
        let replay: ([ByteBuffer], Bool)? = state.withLock { state in
            guard state.failure == nil else { return nil }
            state.attempt = io
            state.replaying = true
            return (state.buffer, state.ended)
        }
        guard let (messages, ended) = replay else {
            io.cancel()  // the caller is already gone
            return
        }
        do {
            for message in messages { try await io.send(message) }
            if ended { io.endRequests() }
        } catch {}
        let waiters = state.withLock { state in
            state.replaying = false
            return state.changed()
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Detaches the failed attempt `io` before a retry; false when the call is committed or
    /// aborted and must not be retried.
    func detachForRetry(_ io: ClientStreamIO) -> Bool {
        state.withLock { state in
            guard !state.committed, state.aborted == nil, state.attempt === io else { return false }
            state.attempt = nil
            return true
        }
    }

    /// Why no further attempt may start, if the call was aborted.
    var abortedError: RPCError? { state.withLock { $0.aborted } }

    /// `io` is the call's attempt for good.
    func commit(_ io: ClientStreamIO) {
        let waiters = state.withLock { state in
            state.attempt = io
            state.committed = true
            state.committedAttempt = io
            state.buffer = []
            state.bufferedBytes = 0
            return state.changed()
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The call ended without a committed attempt.
    func fail(_ error: any Error) {
        let waiters = state.withLock { state in
            if state.committedAttempt == nil && state.failure == nil { state.failure = error }
            return state.changed()
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The caller is done with the call: cancel whatever attempt is still running and release
    /// a producer still waiting.
    func close() {
        let (io, waiters) = state.withLock { state in
            if state.committedAttempt == nil && state.failure == nil {
                state.failure = RPCError(code: .cancelled, message: "call ended by the client")
            }
            return (state.attempt, state.changed())
        }
        io?.cancel()
        for waiter in waiters { waiter.resume() }
    }

    /// The committed attempt, once there is one.
    func committed() async throws -> ClientStreamIO {
        try await waitUntil { state in
            if let io = state.committedAttempt { return io }
            if let failure = state.failure { throw failure }
            return nil
        }
    }

    /// Why the call ended without a committed attempt, if it did.
    var failure: (any Error)? { state.withLock { $0.failure } }

    /// True once the call has its final attempt and that attempt ended, or the call failed.
    var isSettled: Bool {
        state.withLock { state in
            state.failure != nil || (state.committedAttempt?.shared.finished ?? false)
        }
    }

    // MARK: Waiting

    /// Runs `check` under the lock until it returns a value (or throws), waiting for a state
    /// change between tries. A change between a failed check and the wait is not lost: the
    /// wait compares versions under the lock.
    private func waitUntil<Value>(_ check: (inout State) throws -> Value?) async throws -> Value {
        while true {
            let (value, version) = try state.withLock { state in (try check(&state), state.version) }
            if let value { return value }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state in
                    guard state.version == version else { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        }
    }
}
