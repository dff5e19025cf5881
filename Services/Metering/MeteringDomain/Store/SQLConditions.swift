import ServiceKit

/// WHERE terms with their bound parameters, joined by AND.
struct SQLConditions: Sendable {
    private(set) var terms: [String] = []
    private(set) var parameters: [SQLValue] = []

    mutating func add(_ sql: String, _ values: SQLValue...) {
        terms.append(sql)
        parameters += values
    }

    /// `column IN (?, …)` for a non-empty list.
    mutating func add(_ column: String, in values: [String]) {
        guard !values.isEmpty else { return }
        terms.append("\(column) IN (" + Array(repeating: "?", count: values.count).joined(separator: ", ") + ")")
        parameters += values.map(SQLValue.text)
    }

    /// " WHERE a AND b", or "" without terms.
    var whereClause: String { terms.isEmpty ? "" : " WHERE " + terms.map { "(\($0))" }.joined(separator: " AND ") }
}
