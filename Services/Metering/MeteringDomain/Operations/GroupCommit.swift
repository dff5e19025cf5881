import ServiceKit
import Synchronization

/// Group commit for ingestion: batches that arrive from several streams while the store is
/// busy are written together in one transaction (one fsync instead of one each), every batch
/// inside its own SAVEPOINT so a batch that fails rolls back alone. Each caller resumes only
/// after the transaction holding its batch committed, so an acknowledged batch is durable.
final class GroupCommitter: Sendable {
    /// At most this many batches share one transaction (bounds its length and memory).
    static let batchesPerTransaction = 64

    /// One submitted batch: `apply` runs inside the shared transaction and returns how to
    /// finish its ticket after the commit, and whether it threw; `fail` finishes the ticket
    /// when the transaction as a whole fails.
    private struct Job: Sendable {
        let apply: @Sendable (any StoreWriting) -> (finish: @Sendable () -> Void, threw: Bool)
        let fail: @Sendable (any Error) -> Void
    }

    private struct State: ~Copyable {
        var pending: [Job] = []
        var draining = false
        var transactions = 0
    }

    private let store: any Store
    private let state = Mutex(State())

    init(store: any Store) { self.store = store }

    /// Transactions committed or attempted so far (for tests: batches share them).
    var transactionCount: Int { state.withLock { $0.transactions } }

    /// Batches waiting for the next transaction (for tests).
    var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Runs `body` in a write transaction, possibly shared with other streams' batches, and
    /// returns its result once that transaction committed. When `body` throws, only its own
    /// writes are rolled back and the error is rethrown here.
    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriting) throws -> T) async throws -> T {
        try await enqueue(body).value
    }

    /// Queues `body` now — jobs run in the order they were queued, so one stream's batches
    /// keep their order — and returns the ticket that yields its result after the commit.
    func enqueue<T: Sendable>(_ body: @escaping @Sendable (any StoreWriting) throws -> T) -> CommitTicket<T> {
        let ticket = CommitTicket<T>()
        let job = Job(
            apply: { tx in
                do {
                    let value = try body(tx)
                    return ({ ticket.finish(.success(value)) }, false)
                } catch {
                    return ({ ticket.finish(.failure(error)) }, true)
                }
            },
            fail: { ticket.finish(.failure($0)) })
        let startDrain = state.withLock { state in
            state.pending.append(job)
            defer { state.draining = true }
            return !state.draining
        }
        if startDrain { Task { await self.drain() } }
        return ticket
    }

    /// Writes the pending batches, a transaction at a time, until none are left.
    private func drain() async {
        while true {
            let jobs = state.withLock { state -> [Job] in
                let taken = Array(state.pending.prefix(Self.batchesPerTransaction))
                state.pending.removeFirst(taken.count)
                if taken.isEmpty { state.draining = false } else { state.transactions += 1 }
                return taken
            }
            if jobs.isEmpty { return }
            do {
                let finishes = try await store.write { tx in try jobs.map { job in try Self.apply(job, tx) } }
                for finish in finishes { finish() }
            } catch {
                for job in jobs { job.fail(error) }
            }
        }
    }

    /// One job inside its savepoint. A failed job's writes are undone and its error goes to its
    /// caller; if even the rollback fails the transaction is broken, and every job of it fails.
    private static func apply(_ job: Job, _ tx: any StoreWriting) throws -> @Sendable () -> Void {
        try tx.execute("SAVEPOINT ingest_batch")
        let (finish, threw) = job.apply(tx)
        if threw { try tx.execute("ROLLBACK TO ingest_batch") }
        try tx.execute("RELEASE ingest_batch")
        return finish
    }
}

/// The result of one queued job, once its transaction committed (or failed). Finished once;
/// awaited at most once.
final class CommitTicket<T: Sendable>: Sendable {
    private enum State {
        case waiting(CheckedContinuation<T, any Error>?)
        case finished(Result<T, any Error>)
    }

    private let state = Mutex(State.waiting(nil))

    func finish(_ result: Result<T, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<T, any Error>? in
            guard case .waiting(let waiter) = state else { return nil }
            state = .finished(result)
            return waiter
        }
        waiter?.resume(with: result)
    }

    /// Suspends until the job's transaction committed; its result, or the error.
    var value: T {
        get async throws {
            try await withCheckedThrowingContinuation { continuation in
                let ready = state.withLock { state -> Result<T, any Error>? in
                    switch state {
                    case .finished(let result): return result
                    case .waiting(nil):
                        state = .waiting(continuation)
                        return nil
                    case .waiting(.some):
                        preconditionFailure("a commit ticket is awaited once")
                    }
                }
                if let ready { continuation.resume(with: ready) }
            }
        }
    }
}
