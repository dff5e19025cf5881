import AssetAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit

extension AssetOperations {
    /// Most rejections a summary lists; the counts stay exact beyond it.
    static let maxListedRejections = 100

    /// Ingests a stream of sample batches, each committed in its own transaction before the
    /// next is read, so the response (sent after the last) means every accepted row is durable.
    public func recordPerformanceSamples<Batches: AsyncSequence & Sendable>(_ batches: Batches) async throws -> RecordPerformanceSamplesResponse
    where Batches.Element == RecordPerformanceSamplesRequest {
        var summary = IngestSummary()
        var batchIndex: Int32 = 0
        for try await batch in batches {
            let index = batchIndex
            let outcome = try await store.write { tx in try Self.ingest(batch.samples, batchIndex: index, tx) }
            summary.batchCount += 1
            summary.receivedCount += Int64(batch.samples.count)
            summary.acceptedCount += outcome.accepted
            summary.duplicateCount += outcome.duplicates
            summary.rejectedCount += Int64(outcome.rejections.count)
            for rejection in outcome.rejections {
                if summary.rejections.count < Self.maxListedRejections { summary.rejections.append(rejection) } else { summary.rejectionsTruncated = true }
            }
            batchIndex += 1
        }
        return .with { $0.summary = summary }
    }

    static func ingest(
        _ samples: [PerformanceSample], batchIndex: Int32, _ tx: any StoreWriting
    ) throws -> (accepted: Int64, duplicates: Int64, rejections: [RowRejection]) {
        var accepted: Int64 = 0, duplicates: Int64 = 0
        var rejections: [RowRejection] = []
        var knownAssets: [String: Bool] = [:]
        for (rowIndex, sample) in samples.enumerated() {
            func reject(_ reason: RejectionReason, _ field: String, _ message: String) {
                rejections.append(.with {
                    $0.batchIndex = batchIndex
                    $0.rowIndex = Int32(rowIndex)
                    $0.reason = reason
                    $0.field = field
                    $0.message = message
                })
            }
            if let problem = PerformanceRules.rejection(sample) {
                reject(problem.reason, problem.field, problem.message)
                continue
            }
            let exists = try knownAssets[sample.assetID] ?? (try tx.queryOne("SELECT 1 FROM assets WHERE id = ?", sample.assetID) != nil)
            knownAssets[sample.assetID] = exists
            guard exists else {
                reject(.unknownReference, "asset_id", "asset '\(sample.assetID)' does not exist")
                continue
            }
            let value = sample.value ?? Measurement()
            let nanos = TimeColumns.nanoseconds(sample.sampleTime ?? Timestamp())
            if let unit = try tx.scalar(
                "SELECT unit FROM performance_samples WHERE asset_id = ? AND metric = ? LIMIT 1", sample.assetID, sample.metric, as: Int32.self),
                unit != value.unit.rawValue {
                reject(.unitMismatch, "value.unit", "metric '\(sample.metric)' of asset '\(sample.assetID)' is recorded in \(MeasurementUnit(rawValue: unit).protoName ?? "\(unit)"), not \(value.unit.protoName ?? "")")
                continue
            }
            if let stored = try tx.scalar(
                "SELECT milli_value FROM performance_samples WHERE asset_id = ? AND metric = ? AND sample_ns = ?",
                sample.assetID, sample.metric, nanos, as: Int64.self) {
                if stored == value.milliValue {
                    duplicates += 1
                } else {
                    reject(.conflictingDuplicate, "value", "a different value (\(stored) milli) is already recorded for this asset, metric and time")
                }
                continue
            }
            try tx.execute(
                "INSERT INTO performance_samples (asset_id, metric, sample_ns, milli_value, unit) VALUES (?, ?, ?, ?, ?)",
                sample.assetID, sample.metric, nanos, value.milliValue, Int64(value.unit.rawValue))
            accepted += 1
        }
        return (accepted, duplicates, rejections)
    }

    public func summarizePerformance(_ request: SummarizePerformanceRequest) async throws -> SummarizePerformanceResponse {
        try Check.id(request.assetID, prefix: "AST", "asset_id")
        let range = try required(request.timeRange, "time_range")
        guard let start = range.startTime, let end = range.endTime else {
            throw Fail.invalid("time_range needs both start_time and end_time")
        }
        for (time, field) in [(start, "time_range.start_time"), (end, "time_range.end_time")] {
            guard TimeColumns.isValid(time), TimeColumns.nanosecondRange.contains(time.seconds) else {
                throw Fail.invalid("\(field) must be between 1677 and 2262")
            }
        }
        guard start <= end else { throw Fail.invalid("time_range.end_time is before time_range.start_time") }
        var sql = "SELECT metric, unit, milli_value, sample_ns FROM performance_samples WHERE asset_id = ? AND sample_ns >= ? AND sample_ns < ?"
        var parameters: [any SQLValueConvertible] = [request.assetID, TimeColumns.nanoseconds(start), TimeColumns.nanoseconds(end)]
        if !request.metric.isEmpty {
            sql += " AND metric = ?"
            parameters.append(request.metric)
        }
        sql += " ORDER BY metric, sample_ns"
        let summaries = try await store.read { [sql, parameters] db in
            _ = try AssetRows.require(request.assetID, db)
            var summaries: [PerformanceSummary] = []
            var current: PerformanceAccumulator?
            try db.forEachRow(sql, parameters: parameters) { row in
                let metric: String = try row.get(0)
                if current?.metric != metric {
                    if let done = current { summaries.append(done.summary) }
                    current = PerformanceAccumulator(
                        assetID: request.assetID, metric: metric, unit: MeasurementUnit(rawValue: try row.get(1, as: Int32.self)))
                }
                current?.add(milliValue: try row.get(2), sampleNanos: try row.get(3))
                return true
            }
            if let done = current { summaries.append(done.summary) }
            return summaries
        }
        return .with { $0.summaries = summaries }
    }
}
