import MeteringAPI
import QuantumTypes
import ServiceKit

/// One `IngestReadings` stream: feed it each request message in order, then read `summary`.
public struct ReadingIngestion: Sendable {
    let session: IngestSession<WrittenReadingKeys>
    let points: MeterPointCache
    let clock: MeteringClock

    /// Validates and upserts one batch in a write transaction (possibly shared with other
    /// streams' batches); returns after it committed.
    public func ingest(_ request: IngestReadingsRequest) async throws {
        try await session.settle(submit(request))
    }

    /// Every batch of a stream, in order: each is queued as it arrives, a little ahead of the
    /// commits (see `IngestSession.readAhead`); returns after the last one committed.
    public func ingest<Requests: AsyncSequence>(all requests: Requests) async throws where Requests.Element == IngestReadingsRequest {
        try await session.ingest(all: requests) { submit($0) }
    }

    private func submit(_ request: IngestReadingsRequest) -> CommitTicket<IngestTally> {
        let now = clock.epochSeconds()
        let recordMs = clock.epochMilliseconds()
        let points = points
        return session.submit(request.readings) { tx, readings, recorder in
            try ReadingBatchWrite.write(readings, now: now, recordMs: recordMs, points: points, tx, &recorder)
        }
    }

    /// Counts over every committed batch so far.
    public var response: IngestReadingsResponse { .with { $0.summary = session.summary } }
}

/// One batch of readings inside its transaction: the rules row by row, then one read of what
/// the store holds for the batch's keys, then the outcome of each row in row order (reject,
/// duplicate, unchanged, edit-locked or stored), then the new and changed rows written many
/// per statement.
enum ReadingBatchWrite {
    static func write(
        _ readings: [MeterReading], now: Int64, recordMs: Int64, points: MeterPointCache, _ tx: any StoreWriting,
        _ recorder: inout BatchRecorder<WrittenReadingKeys>
    ) throws {
        var lookup = BatchMeterPoints(cache: points)
        var checks: [Result<CheckedReading, RowProblem>] = []
        checks.reserveCapacity(readings.count)
        var valid: [CheckedReading] = []
        valid.reserveCapacity(readings.count)
        for index in readings.indices {  // by index: the rules borrow each message instead of copying it
            let check = ReadingChecks.check(readings[index], point: try lookup.point(readings[index].meterPointID, tx), now: now)
            if case .success(let checked) = check { valid.append(checked) }
            checks.append(check)
        }
        let spacing = lookup.intervalSeconds
        let stored = try ReadingBatchStore.existing(valid, spacing: { row in
            row.key.kind == ReadingKind.interval.rawValue ? spacing[row.key.meterSeq] ?? 1 : 86_400
        }, tx)

        var writes: [CheckedReading] = []
        writes.reserveCapacity(valid.count)
        for (row, check) in checks.enumerated() {
            switch check {
            case .failure(let problem):
                recorder.rejected(row: row, problem)
            case .success(let checked):
                let fingerprint = RowFingerprint(value: checked.milli, detail: Int64(checked.quality.rawValue))
                guard let key = recorder.claim(checked.key, fingerprint, row: row) else { continue }
                let outcome = stored.isEmpty ? .stored : stored[key]?.outcome(of: checked) ?? .stored
                if outcome == .stored { writes.append(checked) }
                recorder.settle(key, outcome, row: row)
            }
        }
        try ReadingBatchStore.upsert(writes, recordMs: recordMs, tx)
    }
}

/// The meter points one batch names, each read once per batch (rows of one meter point
/// usually come together, so the last one is checked first).
private struct BatchMeterPoints {
    let cache: MeterPointCache
    private var last: (id: String, point: StoredMeterPoint?)?
    private var seen: [String: StoredMeterPoint?] = [:]

    init(cache: MeterPointCache) { self.cache = cache }

    /// nil for an empty or unknown id (the rules reject the row).
    mutating func point(_ id: String, _ tx: any StoreReading) throws -> StoredMeterPoint? {
        if let last, last.id == id { return last.point }
        let point: StoredMeterPoint?
        if let known = seen[id] {
            point = known
        } else {
            point = id.isEmpty ? nil : try cache.fetch(id, tx)
            seen[id] = .some(point)
        }
        last = (id, point)
        return point
    }

    /// Interval length by meter point seq, of the meter points found.
    var intervalSeconds: [Int64: Int64] {
        Dictionary(seen.values.compactMap { $0.map { ($0.seq, $0.intervalSeconds) } }, uniquingKeysWith: { first, _ in first })
    }
}

extension MeteringOperations {
    /// Starts an `IngestReadings` stream.
    public func readingIngestion() -> ReadingIngestion {
        ReadingIngestion(session: IngestSession(commits: commits), points: meterPointCache, clock: clock)
    }
}
