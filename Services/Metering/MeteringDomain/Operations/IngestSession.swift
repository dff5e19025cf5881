import QuantumTypes
import RPCCore
import ServiceKit
import Synchronization

/// What a stored row looked like when this stream wrote it: a later row with the same key and
/// another fingerprint is a CONFLICTING_DUPLICATE.
struct RowFingerprint: Hashable, Sendable {
    let value: Int64
    let detail: Int64
}

/// One client-streaming ingestion: each batch is validated and written in a write transaction
/// (shared with other streams' batches by the `GroupCommitter`), and counted only after that
/// transaction committed, so the summary never claims a row the store does not hold. Keys
/// written earlier in the stream are remembered to tell an identical replay (duplicate) from a
/// conflicting one.
final class IngestSession<Keys: WrittenKeys>: Sendable {
    /// Validates and writes one batch inside `tx`, counting its rows in `recorder`.
    typealias BatchWriter<Row> = @Sendable (_ tx: any StoreWriting, _ rows: [Row], _ recorder: inout BatchRecorder<Keys>) throws -> Void

    /// How many batches a stream queues beyond the oldest one not yet committed: enough for
    /// the next transaction to find this stream's next batch waiting (group commit), little
    /// enough that a slow store still paces the sender through flow control.
    static var readAhead: Int { 1 }

    /// What the stream's batches see while they write (inside transactions).
    private struct Writing: ~Copyable {
        /// Every key this stream wrote (or found unchanged), with what it wrote.
        var written = Keys()
        /// A batch failed: the stream is over, and batches queued after it write nothing.
        var failed = false
    }

    /// What the stream's caller counts. A lock of its own: queuing the next batch must not
    /// wait for the batch being written.
    private struct Counting: ~Copyable {
        var tally = IngestTally()
        var batches: Int32 = 0
    }

    private let commits: GroupCommitter
    private let writing = Mutex(Writing())
    private let counting = Mutex(Counting())

    init(commits: GroupCommitter) { self.commits = commits }

    /// The summary so far (after the last committed batch).
    var summary: IngestSummary { counting.withLock { $0.tally.summary } }

    /// One batch: written by `writer`, counted once its transaction committed.
    func ingest<Row: Sendable>(_ rows: [Row], writer: @escaping BatchWriter<Row>) async throws {
        try await settle(submit(rows, writer: writer))
    }

    /// Every batch of `batches`, each queued as it arrives (`submit` turns it into a ticket)
    /// with at most `readAhead` more queued behind the oldest uncommitted one, and counted in
    /// arrival order as they commit. Returns when the last one committed; throws the first
    /// failure.
    func ingest<Batches: AsyncSequence>(
        all batches: Batches, submit: (Batches.Element) -> CommitTicket<IngestTally>
    ) async throws {
        var queued: [CommitTicket<IngestTally>] = []
        for try await batch in batches {
            queued.append(submit(batch))
            if queued.count > Self.readAhead { try await settle(queued.removeFirst()) }
        }
        for ticket in queued { try await settle(ticket) }
    }

    /// Queues one batch behind the stream's earlier ones. Its writer sees the keys the earlier
    /// batches wrote (they ran before it in the same or an earlier transaction); once a batch
    /// failed, later ones write nothing and fail too.
    func submit<Row: Sendable>(_ rows: [Row], writer: @escaping BatchWriter<Row>) -> CommitTicket<IngestTally> {
        let batch = counting.withLock { counting in
            defer { counting.batches += 1 }
            return counting.batches
        }
        return commits.enqueue { tx in
            try self.writing.withLock { state in
                guard !state.failed else {
                    throw RPCError(code: .aborted, message: "an earlier batch of this stream failed; nothing after it was written")
                }
                var recorder = BatchRecorder(batch: batch, written: state.written)
                state.written = Keys()  // moved into the recorder, so it grows without a copy
                defer { state.written = recorder.written }
                do {
                    try writer(tx, rows, &recorder)
                } catch {
                    state.failed = true
                    throw error
                }
                recorder.tally.batchReceived(rows: rows.count)
                return recorder.tally
            }
        }
    }

    /// Waits for a queued batch's commit and counts it.
    func settle(_ ticket: CommitTicket<IngestTally>) async throws {
        let tally = try await ticket.value
        counting.withLock { $0.tally.merge(tally) }
    }
}

/// What an idempotent upsert found: a new or changed row, the same row, or a manual edit it must keep.
enum UpsertOutcome: Sendable, Equatable { case stored, unchanged, editLocked }

/// Counts one batch's rows and remembers the keys it wrote.
struct BatchRecorder<Keys: WrittenKeys> {
    typealias Key = Keys.Key
    let batch: Int32
    var tally = IngestTally()
    /// The stream's written keys, this batch's included.
    var written: Keys

    mutating func rejected(row: Int, _ problem: RowProblem) { tally.rejected(batch: batch, row: row, problem) }

    /// Claims `key` for a row that passed the rules: nil when this stream has not written it
    /// (then the caller decides with the store and reports back with `settle`), else the row
    /// is counted here — an identical replay is a duplicate, another value is rejected.
    mutating func claim(_ key: Key, _ fingerprint: RowFingerprint, row: Int) -> Key? {
        guard let previous = written.claim(key, fingerprint) else { return key }
        if previous == fingerprint {
            tally.duplicate()
        } else {
            tally.rejected(
                batch: batch, row: row,
                RowProblem(.conflictingDuplicate, "", "the same key appeared earlier in this stream with another value"))
        }
        return nil
    }

    /// What the store did with a claimed row.
    mutating func settle(_ key: Key, _ outcome: UpsertOutcome, row: Int) {
        switch outcome {
        case .stored: tally.accepted()
        case .unchanged: tally.duplicate()
        case .editLocked:
            written.forget(key)
            tally.rejected(
                batch: batch, row: row,
                RowProblem(.editedLocked, "", "the stored reading was edited by a person; ingestion never overwrites an edit"))
        }
    }

    /// `claim` then `settle` with the outcome of `store`, for writers that store row by row.
    mutating func record(_ key: Key, _ fingerprint: RowFingerprint, row: Int, store: () throws -> UpsertOutcome) throws {
        guard let claimed = claim(key, fingerprint, row: row) else { return }
        settle(claimed, try store(), row: row)
    }
}
