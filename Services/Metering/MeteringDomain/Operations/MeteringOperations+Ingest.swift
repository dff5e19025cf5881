import MeteringAPI
import QuantumTypes
import ServiceKit

/// One `IngestReadings` stream: feed it each request message in order, then read `summary`.
public struct ReadingIngestion: Sendable {
    let session: IngestSession<ReadingKey>
    let clock: MeteringClock

    /// Validates and upserts one batch in one write transaction; returns after it committed.
    public func ingest(_ request: IngestReadingsRequest) async throws {
        let now = clock.epochSeconds()
        let recordMs = clock.epochMilliseconds()
        try await session.ingest(request.readings) { tx, readings, batch, earlier in
            var outcome = BatchOutcome<ReadingKey>()
            var points: [String: StoredMeterPoint?] = [:]
            for (row, reading) in readings.enumerated() {
                if points[reading.meterPointID] == nil, !reading.meterPointID.isEmpty {
                    points[reading.meterPointID] = .some(try MeterPointTable.fetch(reading.meterPointID, tx))
                }
                switch ReadingChecks.check(reading, point: points[reading.meterPointID] ?? nil, now: now) {
                case .failure(let problem):
                    outcome.tally.rejected(batch: batch, row: row, problem)
                case .success(let checked):
                    try outcome.record(
                        checked.key, RowFingerprint(value: checked.milli, detail: Int64(checked.quality.rawValue)),
                        batch: batch, row: row, earlier: earlier
                    ) {
                        try ReadingTable.upsert(checked.key, milli: checked.milli, quality: checked.quality, recordMs: recordMs, tx)
                    }
                }
            }
            return outcome
        }
    }

    /// Counts over every committed batch so far.
    public var response: IngestReadingsResponse { .with { $0.summary = session.summary } }
}

extension MeteringOperations {
    /// Starts an `IngestReadings` stream.
    public func readingIngestion() -> ReadingIngestion {
        ReadingIngestion(session: IngestSession(store: store), clock: clock)
    }
}
