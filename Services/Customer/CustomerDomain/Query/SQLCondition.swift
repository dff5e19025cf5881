import ServiceKit

/// A piece of a WHERE clause. The SQL text is always written in this module from fixed column
/// names; whatever came from the caller travels in `parameters`, bound to `?`.
public struct SQLCondition: Sendable {
    let sql: String
    let parameters: [SQLValue]

    init(_ sql: String, _ parameters: [SQLValue] = []) {
        self.sql = sql
        self.parameters = parameters
    }

    /// `column IN (?, ?, …)` for `values` (the count of placeholders is ours, not the caller's text).
    static func oneOf(_ column: String, _ values: [SQLValue]) -> SQLCondition {
        SQLCondition("\(column) IN (\(Array(repeating: "?", count: values.count).joined(separator: ", ")))", values)
    }
}

/// Column encodings that let one column answer "contains" questions with bound values only.
enum ColumnEncoding {
    /// Lists of short strings as "\na\nb\n": `instr(column, ?)` with "\na\n" finds an exact
    /// member. Newlines cannot occur in the values we store this way (validated).
    static func delimitedList(_ values: [String]) -> String {
        values.isEmpty ? "" : "\n" + values.joined(separator: "\n") + "\n"
    }

    static func delimitedMember(_ value: String) -> String { "\n" + value + "\n" }

    /// A set of small enum values as bits (1 << rawValue).
    static func bitmask<Values: Sequence>(_ values: Values) -> Int64 where Values.Element: RawRepresentable, Values.Element.RawValue == Int32 {
        values.reduce(0) { mask, value in
            (0..<63).contains(value.rawValue) ? mask | (1 << Int64(value.rawValue)) : mask
        }
    }
}
