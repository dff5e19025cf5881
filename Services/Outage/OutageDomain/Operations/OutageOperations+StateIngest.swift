import OutageAPI
import QuantumTypes
import RPCCore
import ServiceKit

extension OutageOperations {
    /// Most rejections a summary lists (as ingest.proto promises); the counts stay exact beyond it.
    static let maxListedRejections = 1_000

    /// One state sample's key in its table: the asset and the other key columns' values, in
    /// the table's key order (sample_ns last).
    struct StateSampleKey: Hashable, Sendable {
        let assetID: String
        let columns: [Int64]
    }

    /// A sample table keyed by asset_id then `keyColumns`, holding milli_value.
    struct StateSampleTable: Sendable {
        let name: String
        let keyColumns: [String]

        static let grid = StateSampleTable(name: "grid_samples", keyColumns: ["quantity", "phase", "sample_ns"])
        static let pipeline = StateSampleTable(name: "pipeline_samples", keyColumns: ["quantity", "sample_ns"])

        fileprivate var keyCondition: String { (["asset_id"] + keyColumns).map { "\($0) = ?" }.joined(separator: " AND ") }
    }

    /// One batch's outcome, as an ingest summary fragment.
    struct BatchOutcome: Sendable {
        var accepted: Int64 = 0
        var duplicates: Int64 = 0
        var rejections: [RowRejection] = []
        var committed: [StateSample] = []
        /// The value this batch left for each key it wrote (or found already stored).
        var written: [StateSampleKey: Int64] = [:]
    }

    /// Client-streamed ingestion shared by grid and pipeline samples: each batch is one
    /// transaction; alarm watchers hear of its samples only after it commits. `write` gets
    /// the values this stream's earlier (committed) batches left, keyed.
    func ingest<Batches: AsyncSequence & Sendable>(
        _ batches: Batches,
        _ write: @escaping @Sendable (Batches.Element, Int32, [StateSampleKey: Int64], any StoreWriting) throws -> BatchOutcome
    ) async throws -> IngestSummary where Batches.Element: Sendable {
        var summary = IngestSummary()
        var streamed: [StateSampleKey: Int64] = [:]
        for try await batch in batches {
            let index = summary.batchCount
            let earlier = streamed
            let outcome = try await store.write { tx in try write(batch, index, earlier, tx) }
            streamed.merge(outcome.written) { _, new in new }
            samples.publish(outcome.committed)
            summary.batchCount += 1
            summary.acceptedCount += outcome.accepted
            summary.duplicateCount += outcome.duplicates
            summary.rejectedCount += Int64(outcome.rejections.count)
            summary.receivedCount += outcome.accepted + outcome.duplicates + Int64(outcome.rejections.count)
            for rejection in outcome.rejections {
                if summary.rejections.count < Self.maxListedRejections { summary.rejections.append(rejection) } else { summary.rejectionsTruncated = true }
            }
        }
        return summary
    }

    static func rejection(_ batch: Int32, _ row: Int, _ reason: RejectionReason, _ field: String, _ message: String) -> RowRejection {
        .with {
            $0.batchIndex = batch
            $0.rowIndex = Int32(row)
            $0.reason = reason
            $0.field = field
            $0.message = message
        }
    }

    /// Stores one keyed sample as ingest.proto counts it: a key this stream already wrote
    /// with another value is CONFLICTING_DUPLICATE (the later row is rejected); the value
    /// already there (from this stream or stored) is a duplicate; a new key, or a changed
    /// value for a key stored by an earlier call, is accepted (it replaces the stored one).
    static func storeSample(
        _ sample: StateSample, key: StateSampleKey, value: Int64, in table: StateSampleTable,
        batch: Int32, row: Int, streamed: [StateSampleKey: Int64], _ outcome: inout BatchOutcome, _ tx: any StoreWriting
    ) throws {
        if let earlier = outcome.written[key] ?? streamed[key] {
            if earlier == value {
                outcome.duplicates += 1
            } else {
                outcome.rejections.append(rejection(
                    batch, row, .conflictingDuplicate, "milli_value", "this stream already recorded \(earlier) milli for this asset, quantity and time"))
            }
            return
        }
        outcome.written[key] = value
        let keyValues: [any SQLValueConvertible] = [key.assetID] + key.columns
        let stored = try tx.queryOne("SELECT milli_value FROM \(table.name) WHERE \(table.keyCondition)", parameters: keyValues)?
            .get(0, as: Int64.self)
        switch stored {
        case value?:
            outcome.duplicates += 1
            return
        case .some:
            try tx.execute("UPDATE \(table.name) SET milli_value = ? WHERE \(table.keyCondition)", parameters: [value] + keyValues)
        case nil:
            let columns = (["asset_id"] + table.keyColumns + ["milli_value"]).joined(separator: ", ")
            let placeholders = Array(repeating: "?", count: table.keyColumns.count + 2).joined(separator: ", ")
            try tx.execute("INSERT INTO \(table.name) (\(columns)) VALUES (\(placeholders))", parameters: keyValues + [value])
        }
        outcome.accepted += 1
        outcome.committed.append(sample)
    }
}
