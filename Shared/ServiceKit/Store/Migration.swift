/// One step of a service's schema history. Never edit a released migration: add a new one.
public struct Migration: Sendable, Hashable {
    /// 1, 2, 3… in the order they apply.
    public let version: Int
    /// A short name, recorded with the version so a file migrated by different code is caught.
    public let name: String
    /// One or more SQL statements separated by `;`. Constant text written in the code — never
    /// built from input.
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

/// A service's ordered migrations; the newest version is the schema this build speaks.
public struct StoreSchema: Sendable {
    public let migrations: [Migration]

    /// Checks that versions run 1, 2, 3… without gaps and names are not empty.
    public init(_ migrations: [Migration]) throws {
        for (offset, migration) in migrations.enumerated() {
            guard migration.version == offset + 1 else {
                throw StoreError.invalidSchema(
                    "migration '\(migration.name)' has version \(migration.version), expected \(offset + 1)")
            }
            guard !migration.name.isEmpty else {
                throw StoreError.invalidSchema("migration \(migration.version) has no name")
            }
        }
        self.migrations = migrations
    }

    /// The version a fully migrated file has (0 for an empty schema).
    public var latestVersion: Int { migrations.last?.version ?? 0 }
}
