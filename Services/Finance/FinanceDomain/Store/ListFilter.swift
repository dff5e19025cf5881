import Foundation
import ProtoRuntime
import RPCCore

/// The AIP-160 subset our lists accept: `field = "value"` (equality) and `field:"value"`
/// (substring, case-insensitive) terms joined by AND. Each list names its fields and columns.
struct ListFilter: Sendable {
    enum Field: Sendable {
        /// `field = "value"` against a text column.
        case equals(column: String)
        /// `field:"value"` against a lower-cased text column.
        case contains(column: String)
        /// `field = NAME` against an enum column, NAME short (REGULATED) or full.
        case enumeration(column: String, values: @Sendable (String) -> Int32?)
    }

    let fields: [String: Field]

    static func enumeration<E: ProtoEnum>(_ column: String, _ type: E.Type) -> Field {
        .enumeration(column: column) { text in
            let prefix = String((E().protoName ?? "").dropLast("UNSPECIFIED".count))
            return E.knownCases.first { $0.rawValue != 0 && ($0.protoName == text || $0.protoName == prefix + text) }?.rawValue
        }
    }

    func conditions(_ filter: String) throws(RPCError) -> [Condition] {
        let trimmed = filter.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return [] }
        var result: [Condition] = []
        for term in trimmed.components(separatedBy: " AND ") {
            result.append(try condition(term.trimmingCharacters(in: .whitespaces), filter))
        }
        return result
    }

    private func condition(_ term: String, _ filter: String) throws(RPCError) -> Condition {
        let isSubstring = !term.contains("=")
        let parts = term.split(separator: isSubstring ? ":" : "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let field = fields[parts[0]] else {
            throw Fail.invalid("filter '\(filter)': '\(term)' is not a term on one of \(fields.keys.sorted().joined(separator: ", "))")
        }
        var value = parts[1]
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
        switch (field, isSubstring) {
        case (.equals(let column), false):
            return Condition("\(column) = ?", [.text(value)])
        case (.contains(let column), true):
            return Condition("instr(\(column), ?) > 0", [.text(value.lowercased())])
        case (.enumeration(let column, let values), false):
            guard let number = values(value) else { throw Fail.invalid("filter '\(filter)': '\(value)' is not a value of \(parts[0])") }
            return Condition("\(column) = ?", [.integer(Int64(number))])
        default:
            throw Fail.invalid("filter '\(filter)': \(parts[0]) takes \(isSubstring ? "'=' (equality)" : "':' (substring)")")
        }
    }
}
