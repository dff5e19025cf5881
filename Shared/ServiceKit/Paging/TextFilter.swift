import Foundation
import ProtoRuntime
import RPCCore

/// The AIP-160 subset lists accept: `field = value` terms joined by AND; values are quoted
/// text or enum names. Each field maps to a column (text) or to an enum column (its number).
public struct TextFilter: Sendable {
    public enum Column: Sendable {
        case text(String)
        case enumNumber(String, parse: @Sendable (String) -> Int32?)

        public static func enumeration<E: ProtoEnum>(_ column: String, _ type: E.Type, prefix: String) -> Column {
            .enumNumber(column) { name in
                (E(protoName: name) ?? E(protoName: prefix + name)).map(\.rawValue)
            }
        }
    }

    public let fields: [String: Column]

    public init(fields: [String: Column]) {
        self.fields = fields
    }

    /// Adds the filter's conditions to `conditions`; a malformed filter is INVALID_ARGUMENT.
    public func apply(_ filter: String, to conditions: inout Conditions) throws(RPCError) {
        let text = filter.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return }
        for term in text.components(separatedBy: " AND ") {
            let parts = term.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[1].isEmpty else {
                throw RPCError(code: .invalidArgument, message: "filter term '\(term)' is not of the form field = value")
            }
            guard let column = fields[parts[0]] else {
                throw RPCError(code: .invalidArgument, message: "filter field '\(parts[0])' is not one of: \(fields.keys.sorted().joined(separator: ", "))")
            }
            var value = parts[1]
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            switch column {
            case .text(let name): conditions.add("\(name) = ?", .text(value))
            case .enumNumber(let name, let parse):
                guard let number = parse(value) else { throw RPCError(code: .invalidArgument, message: "filter value '\(value)' is not a known value of \(parts[0])") }
                conditions.add("\(name) = ?", .integer(Int64(number)))
            }
        }
    }
}
