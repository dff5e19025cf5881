import AssetAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit

extension AssetOperations {
    /// Most rejections a summary lists (as ingest.proto promises); the counts stay exact beyond it.
    static let maxListedRejections = 1_000

    /// A sample's key, as the proto defines it: (asset_id, metric, sample_time).
    struct SampleKey: Hashable, Sendable {
        let assetID: String
        let metric: String
        let sampleNanos: Int64
    }

    /// Ingests a stream of sample batches, each committed in its own transaction before the
    /// next is read, so the response (sent after the last) means every accepted row is durable.
    /// As ingest.proto defines the counts: a changed value for a key stored by an earlier call
    /// is accepted (it replaces the stored one); a key this stream already wrote with another
    /// value is CONFLICTING_DUPLICATE (the later row is rejected).
    public func recordPerformanceSamples<Batches: AsyncSequence & Sendable>(_ batches: Batches) async throws -> RecordPerformanceSamplesResponse
    where Batches.Element == RecordPerformanceSamplesRequest {
        var summary = IngestSummary()
        var batchIndex: Int32 = 0
        var streamed: [SampleKey: Int64] = [:]
        for try await batch in batches {
            let index = batchIndex
            let earlier = streamed
            let outcome = try await store.write { tx in try Self.ingest(batch.samples, batchIndex: index, streamed: earlier, tx) }
            streamed.merge(outcome.written) { _, new in new }
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

    /// One batch, in the caller's transaction; `streamed` holds the values this stream's
    /// earlier batches wrote (or found already stored), and `written` returns this batch's.
    static func ingest(
        _ samples: [PerformanceSample], batchIndex: Int32, streamed: [SampleKey: Int64], _ tx: any StoreWriting
    ) throws -> (accepted: Int64, duplicates: Int64, rejections: [RowRejection], written: [SampleKey: Int64]) {
        var accepted: Int64 = 0, duplicates: Int64 = 0
        var rejections: [RowRejection] = []
        var written: [SampleKey: Int64] = [:]
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
            let key = SampleKey(assetID: sample.assetID, metric: sample.metric, sampleNanos: nanos)
            if let earlier = written[key] ?? streamed[key] {
                if earlier == value.milliValue {
                    duplicates += 1
                } else {
                    reject(.conflictingDuplicate, "value", "this stream already recorded \(earlier) milli for this asset, metric and time")
                }
                continue
            }
            written[key] = value.milliValue
            let stored = try tx.scalar(
                "SELECT milli_value FROM performance_samples WHERE asset_id = ? AND metric = ? AND sample_ns = ?",
                sample.assetID, sample.metric, nanos, as: Int64.self)
            switch stored {
            case value.milliValue?:
                duplicates += 1
            case .some:
                try tx.execute(
                    "UPDATE performance_samples SET milli_value = ? WHERE asset_id = ? AND metric = ? AND sample_ns = ?",
                    value.milliValue, sample.assetID, sample.metric, nanos)
                accepted += 1
            case nil:
                try tx.execute(
                    "INSERT INTO performance_samples (asset_id, metric, sample_ns, milli_value, unit) VALUES (?, ?, ?, ?, ?)",
                    sample.assetID, sample.metric, nanos, value.milliValue, Int64(value.unit.rawValue))
                accepted += 1
            }
        }
        return (accepted, duplicates, rejections, written)
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
