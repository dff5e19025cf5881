import ServiceKit

/// The metering store. Meter points keep their full protobuf body (new proto fields need no
/// migration) plus the columns lists filter by. Readings are the high-volume table: one row per
/// (meter point, kind, interval start, channel), keyed by the meter point's integer `seq` rather
/// than its 30-character id, clustered on that key (WITHOUT ROWID) so a meter point's range is
/// one contiguous b-tree walk and the row carries no second index.
public enum MeteringSchema {
    public static let schema: StoreSchema = try! StoreSchema([
        Migration(version: 1, name: "metering_tables", sql: tables),
        Idempotency.migration(version: 2),
    ])

    /// Times of readings are whole seconds since 1970 (`start_s`); other times are milliseconds.
    /// Enums are their proto numbers. Values are milli-units of the meter point's unit.
    private static let tables = """
        CREATE TABLE meter_points (
            seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, body BLOB NOT NULL,
            premise_id TEXT NOT NULL, meter_asset_id TEXT NOT NULL,
            status INTEGER NOT NULL, commodity INTEGER NOT NULL, purpose INTEGER NOT NULL
        );
        CREATE INDEX meter_points_by_premise ON meter_points (premise_id, id);
        CREATE INDEX meter_points_by_asset ON meter_points (meter_asset_id, id);

        -- edit_ms is set once a person edited or invalidated the row: ingestion never overwrites it.
        CREATE TABLE readings (
            meter_seq INTEGER NOT NULL, kind INTEGER NOT NULL, start_s INTEGER NOT NULL, channel INTEGER NOT NULL,
            milli INTEGER NOT NULL, quality INTEGER NOT NULL, record_ms INTEGER NOT NULL,
            original_milli INTEGER, original_quality INTEGER, edit_reason TEXT, editor TEXT, edit_ms INTEGER,
            PRIMARY KEY (meter_seq, kind, start_s, channel)
        ) WITHOUT ROWID;

        CREATE TABLE der_samples (
            device_id TEXT NOT NULL, metric INTEGER NOT NULL, sample_ms INTEGER NOT NULL,
            device_type INTEGER NOT NULL, premise_id TEXT NOT NULL, milli INTEGER NOT NULL, unit INTEGER NOT NULL,
            PRIMARY KEY (device_id, sample_ms, metric)
        ) WITHOUT ROWID;

        -- The audit trail of cross-boundary reads (issue 11 writes it; append-only).
        CREATE TABLE audit_records (
            id TEXT PRIMARY KEY, body BLOB NOT NULL, record_ms INTEGER NOT NULL,
            subject TEXT NOT NULL, decision INTEGER NOT NULL, caller_business_unit INTEGER NOT NULL,
            customer_id TEXT NOT NULL, resource_id TEXT NOT NULL, method TEXT NOT NULL
        );
        CREATE INDEX audit_records_by_time ON audit_records (record_ms, id);
        """
}
