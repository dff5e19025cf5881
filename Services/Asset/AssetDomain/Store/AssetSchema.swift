import ServiceKit

/// The asset service's tables. Assets and maintenance records are one row each: `body` (the
/// full protobuf encoding: lossless, new proto fields need no migration) plus the columns that
/// lists filter, sort and walk the topology by, rewritten from the body on every write.
public enum AssetSchema {
    public static let schema: StoreSchema = try! StoreSchema([
        Migration(version: 1, name: "asset_resources", sql: resources),
        Idempotency.migration(version: 2),
    ])

    /// Times are milliseconds since 1970 (sample times nanoseconds); enums are their proto
    /// numbers; dates are yyyymmdd integers; GIS points are E7 degrees (NULL when unset).
    private static let resources = """
        CREATE TABLE assets (
            id TEXT PRIMARY KEY, body BLOB NOT NULL,
            parent_id TEXT NOT NULL, display_name TEXT NOT NULL,
            asset_class INTEGER NOT NULL, asset_type INTEGER NOT NULL, status INTEGER NOT NULL,
            regulatory_scope INTEGER NOT NULL, commodity INTEGER NOT NULL,
            premise_id TEXT NOT NULL, manufacturer TEXT NOT NULL,
            latitude_e7 INTEGER, longitude_e7 INTEGER, create_ms INTEGER NOT NULL
        );
        -- The topology walk: children of a node, in id order.
        CREATE INDEX assets_by_parent ON assets (parent_id, id);
        CREATE INDEX assets_by_premise ON assets (premise_id, id);
        CREATE INDEX assets_by_name ON assets (display_name, id);
        CREATE INDEX assets_by_create ON assets (create_ms, id);

        CREATE TABLE maintenance_records (
            id TEXT PRIMARY KEY, body BLOB NOT NULL,
            asset_id TEXT NOT NULL REFERENCES assets (id), kind INTEGER NOT NULL,
            perform_ms INTEGER NOT NULL, next_due INTEGER
        );
        CREATE INDEX maintenance_by_asset ON maintenance_records (asset_id, perform_ms, id);

        -- Key (asset, metric, time) makes ingestion idempotent; values are milli-units.
        CREATE TABLE performance_samples (
            asset_id TEXT NOT NULL, metric TEXT NOT NULL, sample_ns INTEGER NOT NULL,
            milli_value INTEGER NOT NULL, unit INTEGER NOT NULL,
            PRIMARY KEY (asset_id, metric, sample_ns)
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
