import OutageAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit

extension OutageOperations {
    static func sampleTimeProblem(_ time: Timestamp?) -> (reason: RejectionReason, message: String)? {
        guard let time else { return (.missingField, "sample_time is required") }
        guard TimeColumns.isValid(time), TimeColumns.nanosecondRange.contains(time.seconds) else {
            return (.invalidValue, "sample_time must be between 1677 and 2262")
        }
        return nil
    }

    public func recordGridState<Batches: AsyncSequence & Sendable>(_ batches: Batches) async throws -> RecordGridStateResponse
    where Batches.Element == RecordGridStateRequest {
        let summary = try await ingest(batches) { batch, index, streamed, tx in
            var outcome = BatchOutcome()
            for (row, sample) in batch.samples.enumerated() {
                if !ResourceID.isWellFormed(sample.assetID, prefix: "AST") {
                    outcome.rejections.append(Self.rejection(index, row, .invalidValue, "asset_id", "asset_id '\(sample.assetID)' is not an AST- id"))
                } else if sample.quantity == .unspecified || !GridQuantity.knownCases.contains(sample.quantity) {
                    outcome.rejections.append(Self.rejection(index, row, .missingField, "quantity", "quantity is required"))
                } else if !GridPhase.knownCases.contains(sample.phase) {
                    outcome.rejections.append(Self.rejection(index, row, .invalidValue, "phase", "phase \(sample.phase.rawValue) is unknown"))
                } else if let problem = Self.sampleTimeProblem(sample.sampleTime) {
                    outcome.rejections.append(Self.rejection(index, row, problem.reason, "sample_time", problem.message))
                } else {
                    let key = StateSampleKey(assetID: sample.assetID, columns: [
                        Int64(sample.quantity.rawValue), Int64(sample.phase.rawValue), TimeColumns.nanoseconds(sample.sampleTime ?? Timestamp()),
                    ])
                    try Self.storeSample(
                        .grid(sample), key: key, value: sample.milliValue, in: .grid, batch: index, row: row, streamed: streamed, &outcome, tx)
                }
            }
            return outcome
        }
        return .with { $0.summary = summary }
    }

    public func recordPipelineState<Batches: AsyncSequence & Sendable>(_ batches: Batches) async throws -> RecordPipelineStateResponse
    where Batches.Element == RecordPipelineStateRequest {
        let summary = try await ingest(batches) { batch, index, streamed, tx in
            var outcome = BatchOutcome()
            for (row, sample) in batch.samples.enumerated() {
                if !ResourceID.isWellFormed(sample.assetID, prefix: "AST") {
                    outcome.rejections.append(Self.rejection(index, row, .invalidValue, "asset_id", "asset_id '\(sample.assetID)' is not an AST- id"))
                } else if sample.quantity == .unspecified || !PipelineQuantity.knownCases.contains(sample.quantity) {
                    outcome.rejections.append(Self.rejection(index, row, .missingField, "quantity", "quantity is required"))
                } else if let problem = Self.sampleTimeProblem(sample.sampleTime) {
                    outcome.rejections.append(Self.rejection(index, row, problem.reason, "sample_time", problem.message))
                } else {
                    let key = StateSampleKey(assetID: sample.assetID, columns: [
                        Int64(sample.quantity.rawValue), TimeColumns.nanoseconds(sample.sampleTime ?? Timestamp()),
                    ])
                    try Self.storeSample(
                        .pipeline(sample), key: key, value: sample.milliValue, in: .pipeline, batch: index, row: row, streamed: streamed, &outcome, tx)
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
                    let column = StoredSampleRow(row: row, table: "grid_samples", assetID: id)
                    var sample = GridStateSample()
                    sample.assetID = id
                    sample.quantity = GridQuantity(rawValue: try column.get("quantity"))
                    sample.phase = GridPhase(rawValue: try column.get("phase"))
                    sample.milliValue = try column.get("milli_value")
                    sample.sampleTime = TimeColumns.timestamp(nanoseconds: try column.get("sample_ns"))
                    return sample
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
                    let column = StoredSampleRow(row: row, table: "pipeline_samples", assetID: id)
                    var sample = PipelineStateSample()
                    sample.assetID = id
                    sample.quantity = PipelineQuantity(rawValue: try column.get("quantity"))
                    sample.milliValue = try column.get("milli_value")
                    sample.sampleTime = TimeColumns.timestamp(nanoseconds: try column.get("sample_ns"))
                    return sample
                }
            }
        }
        return .with { $0.samples = samples }
    }
}

/// A latest-state row read back from a sample table. A column that does not decode is a
/// corrupt store: DATA_LOSS naming the table, asset and column (as `Rows.decode` reports an
/// unreadable body), never a silent 0 that would look like a real reading.
struct StoredSampleRow {
    let row: Row
    let table: String
    let assetID: String

    func get<Value: SQLValueConvertible>(_ column: String) throws -> Value {
        do {
            return try row.get(column, as: Value.self)
        } catch {
            throw RPCError(code: .dataLoss, message: "a stored \(table) row of asset '\(assetID)' is unreadable: \(error)")
        }
    }
}
