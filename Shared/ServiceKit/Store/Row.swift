/// One result row, copied out of the database so it can outlive the statement that read it.
///
/// Read columns by position or by name as the Swift type you expect; a NULL or a value of
/// another type is an error that names the column (use an Optional type for nullable columns):
///
/// ```swift
/// let id: String = try row["id"]
/// let closedAt: Int64? = try row["closed_at"]
/// let count = try row.get(0, as: Int64.self)
/// ```
public struct Row: Sendable, CustomStringConvertible {
    /// Column names as the query spelled them (`AS` aliases included).
    public let columnNames: [String]
    public let values: [SQLValue]

    public init(columnNames: [String], values: [SQLValue]) {
        precondition(columnNames.count == values.count, "a row needs one name per value")
        self.columnNames = columnNames
        self.values = values
    }

    public var count: Int { values.count }

    /// The raw value at `index`.
    public subscript(index: Int) -> SQLValue { values[index] }

    /// The value at `index` as `T`. Inlinable, like the other readers below, so a caller's
    /// module specializes it for its `T`: unspecialized, every column read looked up generic
    /// type metadata at run time (~9 % of metering-service's CPU on a profile read).
    @inlinable
    public func get<T: SQLValueConvertible>(_ index: Int, as type: T.Type = T.self) throws -> T {
        guard values.indices.contains(index) else {
            throw StoreError.noSuchColumn("#\(index) (the row has \(values.count) columns)")
        }
        guard let value = T(sqlValue: values[index]) else {
            throw StoreError.typeMismatch(column: columnNames[index], expected: "\(T.self)", found: values[index].typeName)
        }
        return value
    }

    /// The value of the column named `name` (case-insensitive, as SQL names are) as `T`.
    @inlinable
    public func get<T: SQLValueConvertible>(_ name: String, as type: T.Type = T.self) throws -> T {
        guard let index = columnNames.firstIndex(where: { $0.sqlIdentifierEquals(name) }) else {
            throw StoreError.noSuchColumn("'\(name)' (columns: \(columnNames.joined(separator: ", ")))")
        }
        return try get(index, as: T.self)
    }

    @inlinable
    public subscript<T: SQLValueConvertible>(index: Int) -> T {
        get throws { try get(index, as: T.self) }
    }

    @inlinable
    public subscript<T: SQLValueConvertible>(name: String) -> T {
        get throws { try get(name, as: T.self) }
    }

    public var description: String {
        "(" + zip(columnNames, values).map { "\($0): \($1)" }.joined(separator: ", ") + ")"
    }
}

extension String {
    /// ASCII case-insensitive equality (SQL identifiers), without Foundation.
    @usableFromInline
    func sqlIdentifierEquals(_ other: String) -> Bool {
        self.utf8.count == other.utf8.count && self.lowercased() == other.lowercased()
    }
}
