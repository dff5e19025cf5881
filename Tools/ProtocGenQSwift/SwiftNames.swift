// How proto names read in Swift: UpperCamel types, lowerCamel members, enum cases without the
// AIP prefix (`ACCOUNT_TYPE_REGULATED` → `.regulated`), keywords escaped.

enum SwiftNames {
    /// `display_name` → `displayName`; `ID`-style upper-case runs are kept as written.
    static func lowerCamel(_ snake: String) -> String {
        let parts = snake.split(separator: "_", omittingEmptySubsequences: true).map(String.init)
        guard let first = parts.first else { return snake }
        let head = first.allSatisfy({ $0.isUppercase || $0.isNumber }) ? first.lowercased() : lowerFirst(first)
        return head + parts.dropFirst().map { part in
            if let initialism = initialisms[part.lowercased()] { return initialism }
            return part.allSatisfy({ $0.isUppercase || $0.isNumber }) ? part.prefix(1) + part.dropFirst().lowercased() : upperFirst(part)
        }.joined()
    }

    /// `payload_type` → `PayloadType`.
    static func upperCamel(_ snake: String) -> String {
        upperFirst(lowerCamel(snake))
    }

    static func upperFirst(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }
    static func lowerFirst(_ text: String) -> String { text.prefix(1).lowercased() + text.dropFirst() }

    /// A property or case name, escaped when it is a Swift keyword.
    static func escaped(_ name: String) -> String {
        swiftKeywords.contains(name) ? "`\(name)`" : name
    }

    /// A Swift property name for a proto field.
    static func property(_ fieldName: String) -> String {
        escaped(lowerCamel(fieldName))
    }

    /// `ServingStatus` → `SERVING_STATUS`, the AIP prefix of the enum's values.
    static func upperSnake(_ camel: String) -> String {
        var result = ""
        var previousWasLowerOrDigit = false
        for character in camel {
            if character.isUppercase && previousWasLowerOrDigit { result += "_" }
            result += character.uppercased()
            previousWasLowerOrDigit = character.isLowercase || character.isNumber
        }
        return result
    }

    /// The case name for enum value `valueName` of enum `enumName`: the enum-name prefix is
    /// dropped when what remains is still a valid identifier.
    static func enumCase(_ valueName: String, enumName: String) -> String {
        let prefix = upperSnake(enumName) + "_"
        var remainder = valueName
        if valueName.hasPrefix(prefix), let first = valueName.dropFirst(prefix.count).first, !first.isNumber {
            remainder = String(valueName.dropFirst(prefix.count))
        }
        return escaped(lowerCamel(remainder.lowercased()))
    }

    /// Swift's API guidelines write these all in capitals (`customerID`, not `customerId`).
    static let initialisms: [String: String] = ["id": "ID", "ids": "IDs", "url": "URL", "uri": "URI", "uuid": "UUID"]

    static let swiftKeywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
        "inout", "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public",
        "rethrows", "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue",
        "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return",
        "throw", "switch", "where", "while", "Any", "as", "await", "false", "is", "nil", "self", "Self",
        "super", "throws", "true", "try", "Type", "Protocol", "some", "any",
    ]
}
