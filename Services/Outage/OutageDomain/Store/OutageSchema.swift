import ServiceKit

/// The outage service's tables: each resource is `body` (its protobuf encoding) plus the
/// columns lists filter and sort by. `outage_changes` is the watch feed's durable log: every
/// outage write appends one row in the same transaction, and its rowid is the feed sequence.
public enum OutageSchema {
    public static let schema: StoreSchema = try! StoreSchema([
        Migration(version: 1, name: "outage_resources", sql: resources),
        Idempotency.migration(version: 2),
    ])

    /// Times are milliseconds since 1970 (samples nanoseconds); enums are proto numbers;
    /// premise lists are newline-delimited with a newline at both ends (so `%\nPRM-…\n%` matches one).
    private static let resources = """
        CREATE TABLE outages (
            id TEXT PRIMARY KEY, body BLOB NOT NULL, status INTEGER NOT NULL, commodity INTEGER NOT NULL,
            cause INTEGER NOT NULL, interruption_class INTEGER NOT NULL, fault_asset_id TEXT NOT NULL,
            premises TEXT NOT NULL, start_ms INTEGER NOT NULL, end_ms INTEGER
        );
        CREATE INDEX outages_by_start ON outages (start_ms, id);
        CREATE INDEX outages_by_status ON outages (status, start_ms);

        CREATE TABLE outage_changes (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT, outage_id TEXT NOT NULL, kind INTEGER NOT NULL,
            change_ms INTEGER NOT NULL, body BLOB NOT NULL
        );

        CREATE TABLE work_orders (
            id TEXT PRIMARY KEY, body BLOB NOT NULL, status INTEGER NOT NULL, kind INTEGER NOT NULL,
            priority INTEGER NOT NULL, asset_id TEXT NOT NULL, outage_id TEXT NOT NULL, crew_id TEXT NOT NULL,
            premise_id TEXT NOT NULL, create_ms INTEGER NOT NULL, due_ms INTEGER NOT NULL
        );
        CREATE INDEX work_orders_by_create ON work_orders (create_ms, id);

        CREATE TABLE crews (
            id TEXT PRIMARY KEY, body BLOB NOT NULL, status INTEGER NOT NULL, skills_mask INTEGER NOT NULL,
            latitude_e7 INTEGER, longitude_e7 INTEGER
        );

        CREATE TABLE crew_dispatches (
            id TEXT PRIMARY KEY, body BLOB NOT NULL, crew_id TEXT NOT NULL, work_order_id TEXT NOT NULL,
            active INTEGER NOT NULL, assign_ms INTEGER NOT NULL
        );
        CREATE INDEX dispatches_by_work_order ON crew_dispatches (work_order_id, active);
        CREATE INDEX dispatches_by_crew ON crew_dispatches (crew_id, assign_ms);

        CREATE TABLE grid_samples (
            asset_id TEXT NOT NULL, quantity INTEGER NOT NULL, phase INTEGER NOT NULL, sample_ns INTEGER NOT NULL,
            milli_value INTEGER NOT NULL, PRIMARY KEY (asset_id, quantity, phase, sample_ns)
        ) WITHOUT ROWID;

        CREATE TABLE pipeline_samples (
            asset_id TEXT NOT NULL, quantity INTEGER NOT NULL, sample_ns INTEGER NOT NULL,
            milli_value INTEGER NOT NULL, PRIMARY KEY (asset_id, quantity, sample_ns)
        ) WITHOUT ROWID;

        CREATE TABLE der_dispatches (
            id TEXT PRIMARY KEY, body BLOB NOT NULL, program_id TEXT NOT NULL, device_id TEXT NOT NULL,
            status INTEGER NOT NULL, window_start_ms INTEGER NOT NULL, window_end_ms INTEGER NOT NULL
        );
        CREATE INDEX der_by_window ON der_dispatches (window_start_ms, id);

        -- The audit trail of cross-boundary reads (issue 11 writes it; append-only).
        CREATE TABLE audit_records (
            id TEXT PRIMARY KEY, body BLOB NOT NULL, record_ms INTEGER NOT NULL,
            subject TEXT NOT NULL, decision INTEGER NOT NULL, caller_business_unit INTEGER NOT NULL,
            customer_id TEXT NOT NULL, resource_id TEXT NOT NULL, method TEXT NOT NULL
        );
        CREATE INDEX audit_records_by_time ON audit_records (record_ms, id);
        """
}
