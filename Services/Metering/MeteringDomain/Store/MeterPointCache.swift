import ServiceKit
import Synchronization

/// Decoded meter points for ingestion, keyed by id and checked against the stored body on
/// every use: each batch still reads its meter points' rows inside its own transaction (so a
/// status change is seen at once), but skips decoding the body and building the time zone
/// calendar when the body is byte for byte the one decoded before.
final class MeterPointCache: Sendable {
    /// Beyond this many meter points the cache starts over (a bound on memory, not an LRU:
    /// a miss costs one decode).
    static let capacity = 20_000

    private struct Entry: Sendable {
        let body: [UInt8]
        let point: StoredMeterPoint
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// The meter point with this id as stored now, or nil when there is none.
    func fetch(_ id: String, _ db: any StoreReading) throws -> StoredMeterPoint? {
        guard let row = try db.queryOne("SELECT seq, body FROM meter_points WHERE id = ?", id) else { return nil }
        let body: [UInt8] = try row["body"]
        let seq: Int64 = try row["seq"]
        if let entry = entries.withLock({ $0[id] }), entry.body == body, entry.point.seq == seq { return entry.point }
        let point = try MeterPointTable.decode(row)
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[id] = Entry(body: body, point: point)
        }
        return point
    }
}
