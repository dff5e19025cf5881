import ServiceKit

/// The customer service's tables. Each resource is one row: the columns lists filter and sort
/// by, plus `body`, the resource's full protobuf encoding (lossless, and new proto fields need
/// no migration). Columns are rewritten from the body on every write, in the same transaction.
public enum CustomerSchema {
    public static let schema: StoreSchema = try! StoreSchema([
        Migration(version: 1, name: "customer_resources", sql: resources),
        Idempotency.migration(version: 2),
    ])

    /// Times are milliseconds since 1970; enums are their proto numbers; sets of enums are
    /// bitmasks; lists of strings are newline-delimited (see `ColumnEncoding`).
    private static let resources = """
        CREATE TABLE customers (
            id TEXT PRIMARY KEY, body BLOB NOT NULL,
            display_name TEXT NOT NULL, name_folded TEXT NOT NULL, emails TEXT NOT NULL,
            kind INTEGER NOT NULL, status INTEGER NOT NULL, relationship_mask INTEGER NOT NULL,
            create_ms INTEGER NOT NULL
        );
        CREATE INDEX customers_by_name ON customers (display_name, id);
        CREATE INDEX customers_by_create ON customers (create_ms, id);

        CREATE TABLE premises (
            id TEXT PRIMARY KEY, body BLOB NOT NULL,
            postal_code TEXT NOT NULL, administrative_area TEXT NOT NULL, service_mask INTEGER NOT NULL
        );

        CREATE TABLE accounts (
            id TEXT PRIMARY KEY, body BLOB NOT NULL,
            customer_id TEXT NOT NULL REFERENCES customers (id), premise_id TEXT NOT NULL REFERENCES premises (id),
            regulatory_scope INTEGER NOT NULL, status INTEGER NOT NULL,
            open_ms INTEGER NOT NULL, close_ms INTEGER
        );
        CREATE INDEX accounts_by_customer ON accounts (customer_id, id);
        CREATE INDEX accounts_by_premise ON accounts (premise_id, id);

        CREATE TABLE products (
            id TEXT PRIMARY KEY, body BLOB NOT NULL,
            regulatory_scope INTEGER NOT NULL, category INTEGER NOT NULL, status INTEGER NOT NULL, commodity INTEGER NOT NULL
        );

        CREATE TABLE agreements (
            id TEXT PRIMARY KEY, body BLOB NOT NULL,
            account_id TEXT NOT NULL REFERENCES accounts (id), product_id TEXT NOT NULL REFERENCES products (id),
            status INTEGER NOT NULL
        );
        CREATE INDEX agreements_by_account ON agreements (account_id, id);

        CREATE TABLE interactions (
            id TEXT PRIMARY KEY, body BLOB NOT NULL,
            customer_id TEXT NOT NULL REFERENCES customers (id), account_id TEXT NOT NULL,
            channel INTEGER NOT NULL, time_ms INTEGER NOT NULL
        );
        CREATE INDEX interactions_by_customer ON interactions (customer_id, time_ms, id);

        CREATE TABLE consents (
            id TEXT PRIMARY KEY, body BLOB NOT NULL,
            customer_id TEXT NOT NULL REFERENCES customers (id), recipient INTEGER NOT NULL, scope_mask INTEGER NOT NULL,
            state INTEGER NOT NULL, grant_ms INTEGER NOT NULL, expire_ms INTEGER
        );
        CREATE INDEX consents_by_customer ON consents (customer_id, grant_ms, id);

        CREATE TABLE segments (
            id TEXT PRIMARY KEY, body BLOB NOT NULL, name_folded TEXT NOT NULL
        );

        CREATE TABLE campaigns (
            id TEXT PRIMARY KEY, body BLOB NOT NULL,
            segment_id TEXT NOT NULL, status INTEGER NOT NULL
        );
        CREATE INDEX campaigns_by_segment ON campaigns (segment_id);

        CREATE TABLE opportunities (
            id TEXT PRIMARY KEY, body BLOB NOT NULL,
            customer_id TEXT NOT NULL, product_id TEXT NOT NULL, campaign_id TEXT NOT NULL, owner TEXT NOT NULL,
            stage INTEGER NOT NULL, expected_close INTEGER NOT NULL, create_ms INTEGER NOT NULL
        );

        CREATE TABLE competitors (
            id TEXT PRIMARY KEY, body BLOB NOT NULL, name_folded TEXT NOT NULL, markets TEXT NOT NULL
        );

        -- The audit trail of cross-boundary reads (issue 11 writes it; append-only).
        CREATE TABLE audit_records (
            id TEXT PRIMARY KEY, body BLOB NOT NULL, record_ms INTEGER NOT NULL,
            subject TEXT NOT NULL, decision INTEGER NOT NULL, caller_business_unit INTEGER NOT NULL,
            customer_id TEXT NOT NULL, resource_id TEXT NOT NULL, method TEXT NOT NULL
        );
        CREATE INDEX audit_records_by_time ON audit_records (record_ms, id);
        """
}
