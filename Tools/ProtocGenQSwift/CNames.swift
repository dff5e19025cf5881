// The names protoc-c (protobuf-c 1.4) gives to what it generates, so the Swift code can call it.
// protoc-c derives them mechanically from the proto names; these functions apply the same rules.

enum CNames {
    /// `foo_bar` → `FooBar`: upper-case the first letter and every letter after `_`, drop `_`.
    static func toCamel(_ name: String) -> String {
        var result = ""
        var upperNext = true
        for character in name {
            if character == "_" { upperNext = true; continue }
            result += upperNext ? character.uppercased() : String(character)
            upperNext = false
        }
        return result
    }

    /// `FooBar` → `foo_bar`: `_` before an upper-case letter that follows a non-upper-case one.
    static func camelToLower(_ name: String) -> String {
        var result = ""
        var wasUpper = true
        for character in name {
            let isUpper = character.isASCII && character.isUppercase
            if isUpper {
                if !wasUpper { result += "_" }
                result += character.lowercased()
            } else {
                result.append(character)
            }
            wasUpper = isUpper
        }
        return result
    }

    /// `FooBar` → `FOO_BAR`.
    static func camelToUpper(_ name: String) -> String {
        camelToLower(name).uppercased()
    }

    private static func pieces(_ fullName: String) -> [String] {
        fullName.split(separator: ".").map(String.init)
    }

    /// The C struct or enum type: `quantum.customer.v1.Customer` → `Quantum__Customer__V1__Customer`.
    static func typeName(_ fullName: String) -> String {
        pieces(fullName).map(toCamel).joined(separator: "__")
    }

    /// The prefix of functions and descriptors: `quantum__customer__v1__customer`.
    static func lowerName(_ fullName: String) -> String {
        pieces(fullName).map(camelToLower).joined(separator: "__")
    }

    /// The prefix of enum constants: `QUANTUM__CUSTOMER__V1__CUSTOMER`.
    static func upperName(_ fullName: String) -> String {
        pieces(fullName).map(camelToUpper).joined(separator: "__")
    }

    /// A struct member: the field name lower-cased, with `_` appended to C/C++ keywords.
    static func fieldName(_ name: String) -> String {
        let lower = name.lowercased()
        return cKeywords.contains(lower) ? lower + "_" : lower
    }

    static func initFunction(_ fullName: String) -> String { lowerName(fullName) + "__init" }
    static func unpackFunction(_ fullName: String) -> String { lowerName(fullName) + "__unpack" }
    static func freeFunction(_ fullName: String) -> String { lowerName(fullName) + "__free_unpacked" }

    private static let cKeywords: Set<String> = [
        "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch", "char", "class",
        "compl", "const", "const_cast", "continue", "default", "delete", "do", "double", "dynamic_cast", "else",
        "enum", "explicit", "extern", "false", "float", "for", "friend", "goto", "if", "inline", "int", "long",
        "mutable", "namespace", "new", "not", "not_eq", "operator", "or", "or_eq", "private", "protected",
        "public", "register", "reinterpret_cast", "return", "short", "signed", "sizeof", "static", "static_cast",
        "struct", "switch", "template", "this", "throw", "true", "try", "typedef", "typeid", "typename", "union",
        "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
    ]
}
