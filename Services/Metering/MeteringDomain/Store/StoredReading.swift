import MeteringAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

/// One row of `readings`, as the rules compute with it (plain integers, no messages).
struct StoredReading: Sendable, Equatable {
    var startSeconds: Int64
    var channel: ReadingChannel
    var milli: Int64
    var quality: ReadingQuality

    /// ACTUAL, ESTIMATED and EDITED readings count in profiles; INVALID ones are missing.
    var isUsable: Bool { quality != .invalid }
}

/// The key of one reading inside a store: (meter point seq, kind, interval start, channel).
struct ReadingKey: Hashable, Sendable {
    let meterSeq: Int64
    let kind: Int32
    let startSeconds: Int64
    let channel: Int32
}

/// Reads and writes `readings` rows.
enum ReadingTable {
    /// The columns a `MeterReading` is rebuilt from.
    static let fullColumns =
        "start_s, channel, kind, milli, quality, record_ms, original_milli, original_quality, edit_reason, editor, edit_ms"

    /// The full message of a row selected with `fullColumns`.
    static func message(_ row: Row, of point: StoredMeterPoint) throws -> MeterReading {
        var reading = MeterReading()
        reading.meterPointID = point.id
        reading.intervalStart = Timestamp(epochSeconds: try row["start_s"])
        reading.kind = ReadingKind(rawValue: try row["kind"])
        reading.channel = ReadingChannel(rawValue: try row["channel"])
        reading.value = point.energy(try row["milli"])
        reading.quality = ReadingQuality(rawValue: try row["quality"])
        reading.recordTime = Timestamp(epochMilliseconds: try row["record_ms"])
        if let editMs: Int64 = try row["edit_ms"] {
            reading.editTime = Timestamp(epochMilliseconds: editMs)
            reading.editReason = try row["edit_reason"] ?? ""
            reading.editor = try row["editor"] ?? ""
            if let original: Int64 = try row["original_milli"] { reading.originalValue = point.energy(original) }
            if let originalQuality: Int32 = try row["original_quality"] { reading.originalQuality = ReadingQuality(rawValue: originalQuality) }
        }
        return reading
    }

    /// Calls `body` for each INTERVAL reading of `point` with start in `range`, ordered by
    /// channel then start (one pass per channel series).
    static func forEachInterval(
        of point: StoredMeterPoint, in range: SecondsRange, _ db: any StoreReading, _ body: (StoredReading) throws -> Void
    ) throws {
        try db.forEachRow(
            "SELECT start_s, channel, milli, quality FROM readings WHERE meter_seq = ? AND kind = ? AND start_s >= ? AND start_s < ? ORDER BY channel, start_s",
            point.seq, Int64(ReadingKind.interval.rawValue), range.start, range.end
        ) { row in
            try body(
                StoredReading(
                    startSeconds: try row.get(0), channel: ReadingChannel(rawValue: try row.get(1)),
                    milli: try row.get(2), quality: ReadingQuality(rawValue: try row.get(3))))
            return true
        }
    }
}
