import MeteringAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

/// A meter point as the rules use it: the resource, its store key, and its interval and
/// calendar already decoded. A class (immutable, so `Sendable`): ingestion hands it to the
/// rules for every row, and a reference is one retain where the struct's copy was many.
final class StoredMeterPoint: Sendable {
    /// The integer key readings are stored under.
    let seq: Int64
    let resource: MeterPoint
    /// interval_length in whole seconds (checked at create: a divisor of one day).
    let intervalSeconds: Int64
    let calendar: LocalCalendar

    init(seq: Int64, resource: MeterPoint) throws {
        self.seq = seq
        self.resource = resource
        intervalSeconds = resource.intervalLength?.seconds ?? 0
        guard intervalSeconds > 0 else { throw MeteringError.unreadable("meter point") }
        calendar = try LocalCalendar(timeZone: resource.timeZone, field: "time_zone")
    }

    var id: String { resource.meterPointID }
    var unit: EnergyUnit { resource.unit }

    /// Interval starts from here on are expected (install_time, aligned up), if installed.
    var activeFrom: Int64 {
        resource.installTime.map { FixedPoint.alignUp($0.seconds, to: intervalSeconds) } ?? Int64.min / 2
    }

    /// Interval starts before this are expected (removal_time), if removed.
    var activeUntil: Int64 { resource.removalTime?.seconds ?? Int64.max / 2 }

    /// The channel every interval must have: RECEIVED for a generation meter, else DELIVERED.
    var primaryChannel: ReadingChannel { resource.purpose == .generation ? .received : .delivered }

    func energy(_ milli: Int64) -> EnergyQuantity { .with { $0.milliValue = milli; $0.unit = unit } }
}

/// Reads and writes `meter_points` rows.
enum MeterPointTable {
    static func columns(_ point: MeterPoint) -> [any SQLValueConvertible] {
        [point.premiseID, point.meterAssetID, Int64(point.status.rawValue), Int64(point.commodity.rawValue), Int64(point.purpose.rawValue)]
    }

    static func insert(_ point: MeterPoint, _ tx: any StoreWriting) throws {
        let key: [any SQLValueConvertible] = [point.meterPointID, point.protobufBytes()]
        try tx.execute(
            "INSERT INTO meter_points (id, body, premise_id, meter_asset_id, status, commodity, purpose) VALUES (?, ?, ?, ?, ?, ?, ?)",
            parameters: key + columns(point))
    }

    static func update(_ point: MeterPoint, _ tx: any StoreWriting) throws {
        let body: [any SQLValueConvertible] = [point.protobufBytes()]
        try tx.execute(
            "UPDATE meter_points SET body = ?, premise_id = ?, meter_asset_id = ?, status = ?, commodity = ?, purpose = ? WHERE id = ?",
            parameters: body + columns(point) + [point.meterPointID])
    }

    static func fetch(_ id: String, _ db: any StoreReading) throws -> StoredMeterPoint? {
        guard let row = try db.queryOne("SELECT seq, body FROM meter_points WHERE id = ?", id) else { return nil }
        return try decode(row)
    }

    /// The meter point, or NOT_FOUND naming the id.
    static func require(_ id: String, _ db: any StoreReading) throws -> StoredMeterPoint {
        guard let point = try fetch(id, db) else { throw MeteringError.notFound("meter point", id) }
        return point
    }

    static func decode(_ row: Row) throws -> StoredMeterPoint {
        let resource: MeterPoint
        do {
            let body: [UInt8] = try row["body"]
            resource = try MeterPoint(protobufBytes: body)
        } catch {
            throw MeteringError.unreadable("meter point")
        }
        return try StoredMeterPoint(seq: try row["seq"], resource: resource)
    }
}
