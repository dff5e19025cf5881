import Foundation

extension ServiceConfiguration {
    /// Opens the store the configuration names, migrated to `schema`: the one place that
    /// maps a store URL to a backend (a `postgres://` case would be added here).
    /// For SQLite, the data directory and the file's directory are created if missing.
    public func openStore(schema: StoreSchema, options: SQLiteStore.Options = SQLiteStore.Options()) async throws -> any Store {
        switch store {
        case .sqlite(let path):
            try prepareDataDirectory()
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            return try await SQLiteStore.open(path: path, schema: schema, options: options)
        }
    }
}
