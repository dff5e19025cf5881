import QuantumTypes
import ServiceKit
import Synchronization

/// What a stored row looked like when this stream wrote it: a later row with the same key and
/// another fingerprint is a CONFLICTING_DUPLICATE.
struct RowFingerprint: Hashable, Sendable {
    let value: Int64
    let detail: Int64
}

/// One client-streaming ingestion: each batch is validated and written in its own write
/// transaction, and counted only after that transaction committed, so the summary never
/// claims a row the store does not hold. Keys written earlier in the stream are remembered to
/// tell an identical replay (duplicate) from a conflicting one.
public final class IngestSession<Key: Hashable & Sendable>: Sendable {
    /// Validates and writes one batch inside `tx`. `earlier` answers whether this stream
    /// already wrote a key (and with which fingerprint); the batch reports what it wrote.
    typealias BatchWriter<Row> = @Sendable (_ tx: any StoreWriting, _ rows: [Row], _ batch: Int32, _ earlier: (Key) -> RowFingerprint?)
        throws -> BatchOutcome<Key>

    private struct State: ~Copyable {
        var tally = IngestTally()
        var written: [Key: RowFingerprint] = [:]
    }

    private let store: any Store
    private let state = Mutex(State())

    init(store: any Store) { self.store = store }

    /// The summary so far (after the last committed batch).
    public var summary: IngestSummary { state.withLock { $0.tally.summary } }

    func ingest<Row: Sendable>(_ rows: [Row], writer: @escaping BatchWriter<Row>) async throws {
        let batch = state.withLock { state in
            let index = state.tally.summary.batchCount
            state.tally.batchReceived(rows: rows.count)
            return index
        }
        let outcome = try await store.write { tx in
            try writer(tx, rows, batch) { key in self.state.withLock { $0.written[key] } }
        }
        state.withLock { state in
            state.tally.merge(outcome.tally)
            state.written.merge(outcome.written) { _, new in new }
        }
    }
}

/// What an idempotent upsert found: a new or changed row, the same row, or a manual edit it must keep.
enum UpsertOutcome: Sendable, Equatable { case stored, unchanged, editLocked }

/// What one batch did: its counts and the keys it wrote.
struct BatchOutcome<Key: Hashable & Sendable>: Sendable {
    var tally = IngestTally()
    var written: [Key: RowFingerprint] = [:]

    /// Counts a row that passed the rules: a replay of this stream's own write is a duplicate,
    /// a different value for such a key is rejected, anything else goes to `store`.
    mutating func record(
        _ key: Key, _ fingerprint: RowFingerprint, batch: Int32, row: Int, earlier: (Key) -> RowFingerprint?,
        store: () throws -> UpsertOutcome
    ) throws {
        if let previous = written[key] ?? earlier(key) {
            if previous == fingerprint {
                tally.duplicate()
            } else {
                tally.rejected(
                    batch: batch, row: row,
                    RowProblem(.conflictingDuplicate, "", "the same key appeared earlier in this stream with another value"))
            }
            return
        }
        switch try store() {
        case .stored:
            tally.accepted()
            written[key] = fingerprint
        case .unchanged:
            tally.duplicate()
            written[key] = fingerprint
        case .editLocked:
            tally.rejected(
                batch: batch, row: row,
                RowProblem(.editedLocked, "", "the stored reading was edited by a person; ingestion never overwrites an edit"))
        }
    }
}
