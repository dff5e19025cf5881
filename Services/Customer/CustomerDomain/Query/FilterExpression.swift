/// One `field = value` or `field:value` term of an AIP-160 filter.
public struct FilterTerm: Sendable, Equatable {
    public enum Operator: String, Sendable, Equatable {
        /// `=`: equality.
        case equals = "="
        /// `:`: "has" — substring for text, membership for lists.
        case has = ":"
    }

    public let field: String
    public let op: Operator
    public let value: String

    public init(field: String, op: Operator, value: String) {
        self.field = field
        self.op = op
        self.value = value
    }
}

/// The AIP-160 subset the customer service accepts: terms joined by `AND`, each a field path,
/// `=` or `:`, and a value that is either a double-quoted string (with `\"` and `\\` escapes)
/// or a bare word (enum names, numbers). Anything else is INVALID_ARGUMENT saying where.
public enum FilterExpression {
    public static let maxLength = 2048

    public static func parse(_ text: String) throws(DomainError) -> [FilterTerm] {
        guard text.utf8.count <= maxLength else { throw .invalid("filter is longer than \(maxLength) bytes") }
        var scanner = Scanner(Array(text))
        var terms: [FilterTerm] = []
        scanner.skipSpaces()
        if scanner.isAtEnd { return [] }
        while true {
            terms.append(try scanner.term())
            scanner.skipSpaces()
            if scanner.isAtEnd { return terms }
            guard scanner.keyword("AND") else {
                throw .invalid("filter: expected AND between terms at position \(scanner.position + 1)")
            }
            scanner.skipSpaces()
        }
    }

    private struct Scanner {
        let characters: [Character]
        var position = 0

        init(_ characters: [Character]) { self.characters = characters }

        var isAtEnd: Bool { position >= characters.count }
        var current: Character? { isAtEnd ? nil : characters[position] }

        mutating func skipSpaces() {
            while let character = current, character == " " || character == "\t" || character == "\n" { position += 1 }
        }

        mutating func keyword(_ word: String) -> Bool {
            let word = Array(word)
            guard position + word.count <= characters.count, Array(characters[position..<position + word.count]) == word else {
                return false
            }
            let after = position + word.count
            guard after == characters.count || characters[after] == " " || characters[after] == "\t" else { return false }
            position = after
            return true
        }

        mutating func term() throws(DomainError) -> FilterTerm {
            let start = position
            while let character = current, character.isASCIIAlphanumeric || character == "_" || character == "." { position += 1 }
            guard position > start else {
                throw .invalid("filter: expected a field name at position \(start + 1)")
            }
            let field = String(characters[start..<position])
            skipSpaces()
            let op: FilterTerm.Operator
            switch current {
            case "=": op = .equals
            case ":": op = .has
            default: throw .invalid("filter: expected '=' or ':' after '\(field)' at position \(position + 1)")
            }
            position += 1
            skipSpaces()
            return FilterTerm(field: field, op: op, value: try value(after: field))
        }

        mutating func value(after field: String) throws(DomainError) -> String {
            if current == "\"" {
                position += 1
                var value = ""
                while let character = current {
                    position += 1
                    switch character {
                    case "\"": return value
                    case "\\":
                        guard let escaped = current, escaped == "\"" || escaped == "\\" else {
                            throw .invalid("filter: only \\\" and \\\\ escapes are allowed (position \(position))")
                        }
                        value.append(escaped)
                        position += 1
                    default: value.append(character)
                    }
                }
                throw .invalid("filter: the string value of '\(field)' is not closed with \"")
            }
            let start = position
            while let character = current, character.isASCIIAlphanumeric || "_-.+@".contains(character) { position += 1 }
            guard position > start else { throw .invalid("filter: expected a value for '\(field)' at position \(start + 1)") }
            return String(characters[start..<position])
        }
    }
}
