import MeteringAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

/// One `RecordDerTelemetry` stream: feed it each request message in order, then read `response`.
public struct DerIngestion: Sendable {
    let session: IngestSession<HashedWrittenKeys<DerSampleKey>>
    let clock: MeteringClock

    /// Validates and upserts one batch in a write transaction (possibly shared with other
    /// streams' batches); returns after it committed.
    public func record(_ request: RecordDerTelemetryRequest) async throws {
        let nowMs = clock.epochMilliseconds()
        try await session.ingest(request.samples) { tx, samples, recorder in
            for (row, sample) in samples.enumerated() {
                switch DerChecks.check(sample, nowMs: nowMs) {
                case .failure(let problem):
                    recorder.rejected(row: row, problem)
                case .success(let (key, milli)):
                    let fingerprint = RowFingerprint(value: milli, detail: Int64(sample.deviceType.rawValue))
                    try recorder.record(key, fingerprint, row: row) {
                        try DerSampleTable.upsert(key, sample: sample, milli: milli, tx)
                    }
                }
            }
        }
    }

    public var response: RecordDerTelemetryResponse { .with { $0.summary = session.summary } }
}

/// Reads and writes `der_samples` rows.
enum DerSampleTable {
    static func upsert(_ key: DerSampleKey, sample: DerTelemetrySample, milli: Int64, _ tx: any StoreWriting) throws -> UpsertOutcome {
        let unit = DerChecks.unit(of: sample.metric)?.rawValue ?? 0
        let changed = try tx.execute(
            """
            INSERT INTO der_samples (device_id, metric, sample_ms, device_type, premise_id, milli, unit) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (device_id, sample_ms, metric) DO UPDATE
            SET device_type = excluded.device_type, premise_id = excluded.premise_id, milli = excluded.milli
            WHERE der_samples.milli <> excluded.milli OR der_samples.device_type <> excluded.device_type
                OR der_samples.premise_id <> excluded.premise_id
            """,
            key.deviceID, Int64(key.metric), key.sampleMs, Int64(sample.deviceType.rawValue), sample.premiseID, milli, Int64(unit))
        return changed > 0 ? .stored : .unchanged
    }

    static func message(_ row: Row) throws -> DerTelemetrySample {
        try .with {
            $0.deviceID = try row["device_id"]
            $0.metric = DerMetric(rawValue: try row["metric"])
            $0.sampleTime = Timestamp(epochMilliseconds: try row["sample_ms"])
            $0.deviceType = DerDeviceType(rawValue: try row["device_type"])
            $0.premiseID = try row["premise_id"]
            $0.value = try .with {
                $0.milliValue = try row["milli"]
                $0.unit = MeasurementUnit(rawValue: try row["unit"])
            }
        }
    }
}

extension MeteringOperations {
    /// Starts a `RecordDerTelemetry` stream.
    public func derIngestion() -> DerIngestion { DerIngestion(session: IngestSession(commits: commits), clock: clock) }

    /// A device's samples over a range, oldest first (then by metric), keyset-paged.
    public func listDerTelemetry(_ request: ListDerTelemetryRequest) async throws -> ListDerTelemetryResponse {
        guard ResourceID.isWellFormed(request.deviceID, prefix: "AST") else {
            throw MeteringError.invalid("device_id: '\(request.deviceID)' is not an asset id (AST-…)")
        }
        guard let timeRange = request.timeRange, let start = timeRange.startTime, let end = timeRange.endTime, start.isValid, end.isValid, start < end
        else { throw MeteringError.invalid("time_range: both bounds are required, valid, start before end") }
        guard request.metric == .unspecified || request.metric.isSpecified else {
            throw MeteringError.invalid("metric: unknown value \(request.metric.rawValue)")
        }
        var conditions = SQLConditions()
        conditions.add("device_id = ?", .text(request.deviceID))
        conditions.add("sample_ms >= ? AND sample_ms < ?", .integer(start.epochMilliseconds), .integer(end.epochMilliseconds))
        if request.metric != .unspecified { conditions.add("metric = ?", .integer(Int64(request.metric.rawValue))) }
        let query = PageQuery(method: "ListDerTelemetry", fields: [
            "device_id": request.deviceID, "start_ms": "\(start.epochMilliseconds)", "end_ms": "\(end.epochMilliseconds)",
            "metric": "\(request.metric.rawValue)",
        ])
        let size = try PageSizePolicy(defaultSize: 500, maximumSize: 10_000).resolve(request.pageSize)
        if let cursor = try pages.cursor(from: request.pageToken, for: query) {
            guard cursor.count == 2, let ms = Int64(cursor[0]), let metric = Int64(cursor[1]) else {
                throw MeteringError.invalid("page_token does not fit this list; start again without it")
            }
            conditions.add("(sample_ms, metric) > (?, ?)", .integer(ms), .integer(metric))
        }
        let sql = "SELECT * FROM der_samples\(conditions.whereClause) ORDER BY sample_ms, metric LIMIT ?"
        let samples = try await store.read { [conditions] db in
            try db.query(sql, parameters: conditions.parameters + [SQLValue.integer(Int64(size + 1))]).map(DerSampleTable.message)
        }
        return .with {
            $0.samples = Array(samples.prefix(size))
            if samples.count > size {
                let last = samples[size - 1]
                $0.nextPageToken = pages.makeToken(cursor: ["\(last.sampleTime?.epochMilliseconds ?? 0)", "\(last.metric.rawValue)"], for: query)
            }
        }
    }
}
