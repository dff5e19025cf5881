import OutageAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit

extension OutageOperations {
    static let maxListedRejections = 100

    /// One batch's outcome, as an ingest summary fragment.
    struct BatchOutcome: Sendable {
        var accepted: Int64 = 0
        var duplicates: Int64 = 0
        var rejections: [RowRejection] = []
        var committed: [StateSample] = []
    }

    /// Client-streamed ingestion shared by grid and pipeline samples: each batch is one
    /// transaction; alarm watchers hear of its samples only after it commits.
    func ingest<Batches: AsyncSequence & Sendable>(
        _ batches: Batches, _ write: @escaping @Sendable (Batches.Element, Int32, any StoreWriting) throws -> BatchOutcome
    ) async throws -> IngestSummary where Batches.Element: Sendable {
        var summary = IngestSummary()
        for try await batch in batches {
            let index = summary.batchCount
            let outcome = try await store.write { tx in try write(batch, index, tx) }
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

    /// Stores one keyed sample: new → accepted, same value → duplicate, other value → rejected.
    static func storeSample(
        key: (sql: String, values: [any SQLValueConvertible]), insert: String, value: Int64, _ tx: any StoreWriting
    ) throws -> Bool? {
        if let stored = try tx.queryOne(key.sql, parameters: key.values)?.get(0, as: Int64.self) {
            return stored == value ? false : nil
        }
        try tx.execute(insert, parameters: key.values + [value])
        return true
    }

    static func sampleTimeProblem(_ time: Timestamp?) -> String? {
        guard let time else { return "sample_time is required" }
        guard TimeColumns.isValid(time), TimeColumns.nanosecondRange.contains(time.seconds) else { return "sample_time must be between 1677 and 2262" }
        return nil
    }

    public func recordGridState<Batches: AsyncSequence & Sendable>(_ batches: Batches) async throws -> RecordGridStateResponse
    where Batches.Element == RecordGridStateRequest {
        let summary = try await ingest(batches) { batch, index, tx in
            var outcome = BatchOutcome()
            for (row, sample) in batch.samples.enumerated() {
                if !ResourceID.isWellFormed(sample.assetID, prefix: "AST") {
                    outcome.rejections.append(Self.rejection(index, row, .invalidValue, "asset_id", "asset_id '\(sample.assetID)' is not an AST- id"))
                } else if sample.quantity == .unspecified || !GridQuantity.knownCases.contains(sample.quantity) {
                    outcome.rejections.append(Self.rejection(index, row, .missingField, "quantity", "quantity is required"))
                } else if !GridPhase.knownCases.contains(sample.phase) {
                    outcome.rejections.append(Self.rejection(index, row, .invalidValue, "phase", "phase \(sample.phase.rawValue) is unknown"))
                } else if let problem = Self.sampleTimeProblem(sample.sampleTime) {
                    outcome.rejections.append(Self.rejection(index, row, .invalidValue, "sample_time", problem))
                } else {
                    let key: [any SQLValueConvertible] = [
                        sample.assetID, Int64(sample.quantity.rawValue), Int64(sample.phase.rawValue),
                        TimeColumns.nanoseconds(sample.sampleTime ?? Timestamp()),
                    ]
                    switch try Self.storeSample(
                        key: ("SELECT milli_value FROM grid_samples WHERE asset_id = ? AND quantity = ? AND phase = ? AND sample_ns = ?", key),
                        insert: "INSERT INTO grid_samples (asset_id, quantity, phase, sample_ns, milli_value) VALUES (?, ?, ?, ?, ?)",
                        value: sample.milliValue, tx) {
                    case true?:
                        outcome.accepted += 1
                        outcome.committed.append(.grid(sample))
                    case false?: outcome.duplicates += 1
                    case nil:
                        outcome.rejections.append(Self.rejection(index, row, .conflictingDuplicate, "milli_value", "a different value is already recorded for this key"))
                    }
                }
            }
            return outcome
        }
        return .with { $0.summary = summary }
    }

    public func recordPipelineState<Batches: AsyncSequence & Sendable>(_ batches: Batches) async throws -> RecordPipelineStateResponse
    where Batches.Element == RecordPipelineStateRequest {
        let summary = try await ingest(batches) { batch, index, tx in
            var outcome = BatchOutcome()
            for (row, sample) in batch.samples.enumerated() {
                if !ResourceID.isWellFormed(sample.assetID, prefix: "AST") {
                    outcome.rejections.append(Self.rejection(index, row, .invalidValue, "asset_id", "asset_id '\(sample.assetID)' is not an AST- id"))
                } else if sample.quantity == .unspecified || !PipelineQuantity.knownCases.contains(sample.quantity) {
                    outcome.rejections.append(Self.rejection(index, row, .missingField, "quantity", "quantity is required"))
                } else if let problem = Self.sampleTimeProblem(sample.sampleTime) {
                    outcome.rejections.append(Self.rejection(index, row, .invalidValue, "sample_time", problem))
                } else {
                    let key: [any SQLValueConvertible] = [
                        sample.assetID, Int64(sample.quantity.rawValue), TimeColumns.nanoseconds(sample.sampleTime ?? Timestamp()),
                    ]
                    switch try Self.storeSample(
                        key: ("SELECT milli_value FROM pipeline_samples WHERE asset_id = ? AND quantity = ? AND sample_ns = ?", key),
                        insert: "INSERT INTO pipeline_samples (asset_id, quantity, sample_ns, milli_value) VALUES (?, ?, ?, ?)",
                        value: sample.milliValue, tx) {
                    case true?:
                        outcome.accepted += 1
                        outcome.committed.append(.pipeline(sample))
                    case false?: outcome.duplicates += 1
                    case nil:
                        outcome.rejections.append(Self.rejection(index, row, .conflictingDuplicate, "milli_value", "a different value is already recorded for this key"))
                    }
                }
            }
            return outcome
        }
        return .with { $0.summary = summary }
    }

    public func getLatestGridState(_ request: GetLatestGridStateRequest) async throws -> GetLatestGridStateResponse {
        guard !request.assetIDs.isEmpty else { throw Fail.invalid("asset_ids needs 1 to 1000 ids") }
        try Check.batch(request.assetIDs, prefix: "AST", "asset_ids")
        let samples = try await store.read { db in
            try request.assetIDs.flatMap { id in
                try db.query("""
                    SELECT quantity, phase, MAX(sample_ns) AS sample_ns, milli_value FROM grid_samples
                    WHERE asset_id = ? GROUP BY quantity, phase ORDER BY quantity, phase
                    """, id).map { row in
                    GridStateSample.with {
                        $0.assetID = id
                        $0.quantity = GridQuantity(rawValue: (try? row.get("quantity", as: Int32.self)) ?? 0)
                        $0.phase = GridPhase(rawValue: (try? row.get("phase", as: Int32.self)) ?? 0)
                        $0.milliValue = (try? row.get("milli_value", as: Int64.self)) ?? 0
                        $0.sampleTime = TimeColumns.timestamp(nanoseconds: (try? row.get("sample_ns", as: Int64.self)) ?? 0)
                    }
                }
            }
        }
        return .with { $0.samples = samples }
    }

    public func getLatestPipelineState(_ request: GetLatestPipelineStateRequest) async throws -> GetLatestPipelineStateResponse {
        guard !request.assetIDs.isEmpty else { throw Fail.invalid("asset_ids needs 1 to 1000 ids") }
        try Check.batch(request.assetIDs, prefix: "AST", "asset_ids")
        let samples = try await store.read { db in
            try request.assetIDs.flatMap { id in
                try db.query("""
                    SELECT quantity, MAX(sample_ns) AS sample_ns, milli_value FROM pipeline_samples
                    WHERE asset_id = ? GROUP BY quantity ORDER BY quantity
                    """, id).map { row in
                    PipelineStateSample.with {
                        $0.assetID = id
                        $0.quantity = PipelineQuantity(rawValue: (try? row.get("quantity", as: Int32.self)) ?? 0)
                        $0.milliValue = (try? row.get("milli_value", as: Int64.self)) ?? 0
                        $0.sampleTime = TimeColumns.timestamp(nanoseconds: (try? row.get("sample_ns", as: Int64.self)) ?? 0)
                    }
                }
            }
        }
        return .with { $0.samples = samples }
    }
}
