import Foundation

/// The AIP-160 subset the metering lists accept: `field = value` terms joined by AND.
struct FilterTerms: Sendable, Equatable {
    /// (field, value) in the order written; values may be quoted.
    let terms: [(field: String, value: String)]

    static func == (lhs: FilterTerms, rhs: FilterTerms) -> Bool {
        lhs.terms.map(\.field) == rhs.terms.map(\.field) && lhs.terms.map(\.value) == rhs.terms.map(\.value)
    }

    /// Parses `text`; a field not in `allowed`, a missing `=`, or an empty value is
    /// INVALID_ARGUMENT naming the term.
    init(parsing text: String, allowed: [String]) throws {
        var terms: [(String, String)] = []
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty {
            for term in trimmed.components(separatedBy: " AND ") {
                let parts = term.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[1].isEmpty else {
                    throw MeteringError.invalid("filter: '\(term)' is not `field = value`")
                }
                guard allowed.contains(parts[0]) else {
                    throw MeteringError.invalid("filter: '\(parts[0])' is not one of \(allowed.joined(separator: ", "))")
                }
                var value = parts[1]
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
                terms.append((parts[0], value))
            }
        }
        self.terms = terms
    }
}
