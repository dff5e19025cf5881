/// Brings a file's schema up to the code's, or refuses to open it.
///
/// Everything happens in one IMMEDIATE transaction on the writer: a half-applied migration
/// is never visible, and two processes opening the same file cannot both migrate it.
enum SQLiteMigrator {
    struct Outcome: Sendable {
        let fromVersion: Int
        let toVersion: Int
    }

    static func migrate(_ connection: SQLiteConnection, to schema: StoreSchema) throws -> Outcome {
        try connection.inTransaction(begin: "BEGIN IMMEDIATE") {
            try connection.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at TEXT NOT NULL
                )
                """)
            let applied = try connection.queryRows("SELECT version, name FROM schema_migrations ORDER BY version", [])
            let fileVersion = try applied.last?.get(0, as: Int.self) ?? 0
            guard fileVersion <= schema.latestVersion else {
                throw StoreError.schemaTooNew(fileVersion: fileVersion, knownVersion: schema.latestVersion)
            }
            for row in applied {
                let version: Int = try row["version"]
                let name: String = try row["name"]
                guard version >= 1 else {
                    throw StoreError.schemaMismatch(version: version, fileName: name, codeName: "(none: versions start at 1)")
                }
                let known = schema.migrations[version - 1]
                guard known.name == name else {
                    throw StoreError.schemaMismatch(version: version, fileName: name, codeName: known.name)
                }
            }
            for migration in schema.migrations where migration.version > fileVersion {
                do {
                    try connection.executeScript(migration.sql)
                } catch {
                    throw StoreError.migrationFailed(
                        version: migration.version, name: migration.name, message: "\(error)")
                }
                try connection.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                    [migration.version, migration.name])
            }
            return Outcome(fromVersion: fileVersion, toVersion: schema.latestVersion)
        }
    }
}
