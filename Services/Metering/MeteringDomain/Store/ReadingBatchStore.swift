import MeteringAPI
import RPCCore
import ServiceKit

/// What `readings` already holds for a key an ingested row names.
struct ExistingReading: Sendable, Equatable {
    let milli: Int64
    let quality: Int32
    /// A person edited or invalidated the row: ingestion must keep it.
    let edited: Bool

    /// What upserting `row` over this stored row does.
    func outcome(of row: CheckedReading) -> UpsertOutcome {
        if edited { return .editLocked }
        return milli == row.milli && quality == row.quality.rawValue ? .unchanged : .stored
    }
}

/// The batch side of `readings` for ingestion: what a batch's keys hold now, read with one
/// range query per meter point and kind instead of one query per row; and the writes, many
/// rows per statement.
enum ReadingBatchStore {
    /// The stored rows among `rows`' keys (usually none: new data). `spacing(row)` is the
    /// distance between consecutive starts of that row's series (its meter point's interval),
    /// used to choose between a range read and per-key reads for a sparse series.
    static func existing(
        _ rows: [CheckedReading], spacing: (CheckedReading) -> Int64, _ db: any StoreReading
    ) throws -> [ReadingKey: ExistingReading] {
        var found: [ReadingKey: ExistingReading] = [:]
        var index = rows.startIndex
        while index < rows.endIndex {
            // A run: consecutive rows of one meter point and kind (a meter-day, typically).
            let first = rows[index]
            var low = first.key.startSeconds, high = low
            var end = index + 1
            while end < rows.endIndex, rows[end].key.meterSeq == first.key.meterSeq, rows[end].key.kind == first.key.kind {
                low = min(low, rows[end].key.startSeconds)
                high = max(high, rows[end].key.startSeconds)
                end += 1
            }
            let count = Int64(end - index)
            if (high - low) / max(spacing(first), 1) <= 2 * count + 8 {
                try read(first.key.meterSeq, first.key.kind, from: low, through: high, db, into: &found)
            } else {
                for row in rows[index..<end] {
                    try read(row.key.meterSeq, row.key.kind, from: row.key.startSeconds, through: row.key.startSeconds, db, into: &found)
                }
            }
            index = end
        }
        return found
    }

    private static func read(
        _ meterSeq: Int64, _ kind: Int32, from low: Int64, through high: Int64, _ db: any StoreReading,
        into found: inout [ReadingKey: ExistingReading]
    ) throws {
        try db.forEachRow(
            "SELECT start_s, channel, milli, quality, edit_ms IS NOT NULL FROM readings WHERE meter_seq = ? AND kind = ? AND start_s BETWEEN ? AND ?",
            meterSeq, Int64(kind), low, high
        ) { row in
            let key = ReadingKey(meterSeq: meterSeq, kind: kind, startSeconds: try row.get(0), channel: try row.get(1))
            found[key] = ExistingReading(milli: try row.get(2), quality: try row.get(3), edited: try row.get(4))
            return true
        }
    }

    /// The most rows one INSERT statement carries (7 parameters each, far below SQLite's limit).
    static let rowsPerStatement = 64

    /// Inserts `rows`, replacing stored rows of the same key that no person edited (the caller
    /// found which keys are new or changed with `existing`). Statements of 64, 32, … 1 rows,
    /// so only seven statement texts exist and each stays prepared in the connection's cache.
    static func upsert(_ rows: [CheckedReading], recordMs: Int64, _ tx: any StoreWriting) throws {
        var start = rows.startIndex
        while start < rows.endIndex {
            var size = rowsPerStatement
            while size > rows.endIndex - start { size /= 2 }
            var parameters: [any SQLValueConvertible] = []
            parameters.reserveCapacity(7 * size)
            for row in rows[start..<start + size] {
                parameters.append(row.key.meterSeq)
                parameters.append(row.key.kind)
                parameters.append(row.key.startSeconds)
                parameters.append(row.key.channel)
                parameters.append(row.milli)
                parameters.append(row.quality.rawValue)
                parameters.append(recordMs)
            }
            let changed = try tx.execute(upsertStatements[size.trailingZeroBitCount], parameters: parameters)
            // Every row was chosen as new or changed inside this write transaction; fewer
            // changes mean the store moved under us, and the batch must not be acknowledged.
            guard changed == size else {
                throw RPCError(code: .aborted, message: "the store changed while a batch was written; retry the batch")
            }
            start += size
        }
    }

    /// The upsert for 1, 2, 4 … 64 rows, indexed by log2 of the row count.
    private static let upsertStatements: [String] = (0...rowsPerStatement.trailingZeroBitCount).map { power in
        "INSERT INTO readings (meter_seq, kind, start_s, channel, milli, quality, record_ms) VALUES "
            + Array(repeating: "(?, ?, ?, ?, ?, ?, ?)", count: 1 << power).joined(separator: ", ")
            + """
             ON CONFLICT (meter_seq, kind, start_s, channel) DO UPDATE
            SET milli = excluded.milli, quality = excluded.quality, record_ms = excluded.record_ms
            WHERE readings.edit_ms IS NULL
            """
    }
}
