import Synchronization

/// Lends a fixed set of connections, each to one borrower at a time, first come first served.
///
/// The writer is a pool of one, which is what serializes writes; readers share a pool of a
/// few. Waiting is asynchronous (a suspended task, no blocked thread) and cancellable.
final class ConnectionPool: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<SQLiteConnection, any Error>
    }

    private struct State {
        var idle: [SQLiteConnection]
        var lent = 0
        var waiters: [Waiter] = []
        var nextWaiterID: UInt64 = 0
        var closing = false
        var drainWaiters: [CheckedContinuation<[SQLiteConnection], Never>] = []
    }

    private enum Acquired {
        case connection(SQLiteConnection)
        case failure(any Error)
        case queued
    }

    private let state: Mutex<State>

    init(_ connections: [SQLiteConnection]) {
        state = Mutex(State(idle: connections))
    }

    /// Waits for a free connection. Throws `StoreError.closed` once the pool drains, and
    /// `CancellationError` if the task is cancelled while waiting.
    func acquire() async throws -> SQLiteConnection {
        let id = state.withLock { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let acquired = state.withLock { state -> Acquired in
                    if state.closing { return .failure(StoreError.closed) }
                    // Checked under the lock: a cancellation that lands before this point is
                    // seen here; one that lands after finds the waiter in the queue.
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if let connection = state.idle.popLast() {
                        state.lent += 1
                        return .connection(connection)
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return .queued
                }
                switch acquired {
                case .connection(let connection): continuation.resume(returning: connection)
                case .failure(let error): continuation.resume(throwing: error)
                case .queued: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Gives a connection back: to the longest waiter, or to the idle set.
    func release(_ connection: SQLiteConnection) {
        enum Next {
            case handOver(Waiter)
            case drained([CheckedContinuation<[SQLiteConnection], Never>], [SQLiteConnection])
            case none
        }
        let next = state.withLock { state -> Next in
            if !state.closing, !state.waiters.isEmpty {
                return .handOver(state.waiters.removeFirst())
            }
            state.lent -= 1
            state.idle.append(connection)
            if state.closing, state.lent == 0, !state.drainWaiters.isEmpty {
                defer { state.drainWaiters = []; state.idle = [] }
                return .drained(state.drainWaiters, state.idle)
            }
            return .none
        }
        switch next {
        case .handOver(let waiter): waiter.continuation.resume(returning: connection)
        case .drained(let waiters, let connections):
            waiters.first?.resume(returning: connections)
            for waiter in waiters.dropFirst() { waiter.resume(returning: []) }
        case .none: break
        }
    }

    /// Stops lending (queued borrowers get `StoreError.closed`), waits until every lent
    /// connection is back, and returns them all so the caller can close them. Later calls
    /// return nothing.
    func drain() async -> [SQLiteConnection] {
        let refused = state.withLock { state -> [Waiter] in
            state.closing = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in refused { waiter.continuation.resume(throwing: StoreError.closed) }
        return await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> [SQLiteConnection]? in
                guard state.lent == 0 else {
                    state.drainWaiters.append(continuation)
                    return nil
                }
                defer { state.idle = [] }
                return state.idle
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
