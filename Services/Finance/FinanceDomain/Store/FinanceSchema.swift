import ServiceKit

/// The finance service's tables. Each resource is one row: `body` is its full protobuf
/// encoding, the other columns are derived from it (on every write, same transaction) for
/// the queries that filter, sort or enforce uniqueness.
public enum FinanceSchema {
    public static let schema: StoreSchema = try! StoreSchema([
        Migration(version: 1, name: "finance_resources", sql: resources),
        Idempotency.migration(version: 2),
        Migration(
            version: 3, name: "transactions_by_account_currency",
            sql: "CREATE INDEX transactions_by_account_currency ON transactions (account_id, currency);"),
    ])

    /// Times are milliseconds since 1970; dates are yyyymmdd, months yyyymm; enums are proto numbers.
    private static let resources = """
        -- The ledger: append-only. The balance is SUM(amount), read through the covering index.
        CREATE TABLE transactions (
            id TEXT PRIMARY KEY, body BLOB NOT NULL,
            account_id TEXT NOT NULL, transaction_type INTEGER NOT NULL,
            amount INTEGER NOT NULL, currency TEXT NOT NULL, effective_ms INTEGER NOT NULL
        );
        CREATE INDEX transactions_by_account ON transactions (account_id, effective_ms, id, amount, transaction_type);

        CREATE TABLE tariffs (
            id TEXT PRIMARY KEY, body BLOB NOT NULL,
            commodity INTEGER NOT NULL, jurisdiction TEXT NOT NULL, display_name TEXT NOT NULL,
            start_date INTEGER NOT NULL, end_date INTEGER
        );

        -- One bill per account and period; inputs_digest tells a retry from a different request.
        CREATE TABLE bills (
            id TEXT PRIMARY KEY, body BLOB NOT NULL,
            account_id TEXT NOT NULL, period_start INTEGER NOT NULL, period_end INTEGER NOT NULL,
            inputs_digest BLOB NOT NULL,
            UNIQUE (account_id, period_start, period_end)
        );
        CREATE INDEX bills_by_account ON bills (account_id, period_start, id);

        CREATE TABLE filings (
            id TEXT PRIMARY KEY, body BLOB NOT NULL,
            filing_type INTEGER NOT NULL, status INTEGER NOT NULL, jurisdiction TEXT NOT NULL, agency TEXT NOT NULL
        );

        CREATE TABLE compliance_records (
            id TEXT PRIMARY KEY, body BLOB NOT NULL,
            outcome INTEGER NOT NULL, standard_folded TEXT NOT NULL, regulatory_scope INTEGER NOT NULL
        );

        -- Filings ↔ compliance records, many-to-many. Bodies never hold the links; reads add them.
        CREATE TABLE filing_links (
            filing_id TEXT NOT NULL REFERENCES filings (id),
            compliance_record_id TEXT NOT NULL REFERENCES compliance_records (id),
            PRIMARY KEY (filing_id, compliance_record_id)
        );
        CREATE INDEX filing_links_by_record ON filing_links (compliance_record_id, filing_id);

        CREATE TABLE cost_allocations (
            id TEXT PRIMARY KEY, body BLOB NOT NULL, period INTEGER NOT NULL, cost_pool TEXT NOT NULL
        );
        CREATE INDEX cost_allocations_by_period ON cost_allocations (period, cost_pool, id);

        CREATE TABLE budget_lines (
            id TEXT PRIMARY KEY, body BLOB NOT NULL,
            period INTEGER NOT NULL, business_unit INTEGER NOT NULL, line TEXT NOT NULL,
            sort_key TEXT NOT NULL,
            UNIQUE (period, business_unit, line)
        );
        CREATE INDEX budget_lines_by_sort ON budget_lines (sort_key, id);

        -- The audit trail of cross-boundary reads (issue 11 writes it; append-only).
        CREATE TABLE audit_records (
            id TEXT PRIMARY KEY, body BLOB NOT NULL, record_ms INTEGER NOT NULL,
            subject TEXT NOT NULL, decision INTEGER NOT NULL, caller_business_unit INTEGER NOT NULL,
            customer_id TEXT NOT NULL, resource_id TEXT NOT NULL, method TEXT NOT NULL
        );
        CREATE INDEX audit_records_by_time ON audit_records (record_ms, id);
        """
}
