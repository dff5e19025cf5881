import ProtoRuntime

/// Proto enum values as filters and messages spell them: `ACTIVE` or `CUSTOMER_STATUS_ACTIVE`.
enum EnumNames {
    /// The value named `text` (short or full proto name); UNSPECIFIED and unknown names are
    /// INVALID_ARGUMENT listing the accepted names.
    static func parse<E: ProtoEnum>(_ text: String, as type: E.Type, field: String) throws(DomainError) -> E {
        let prefix = Self.prefix(of: E.self)
        for value in E.knownCases where value.rawValue != 0 {
            guard let name = value.protoName else { continue }
            if name == text || name == prefix + text { return value }
        }
        throw .invalid("\(field): '\(text)' is not one of \(shortNames(of: E.self).joined(separator: ", "))")
    }

    /// Known, non-zero values without the common prefix, e.g. ["ACTIVE", "INACTIVE"].
    static func shortNames<E: ProtoEnum>(of type: E.Type) -> [String] {
        let prefix = Self.prefix(of: E.self)
        return E.knownCases.filter { $0.rawValue != 0 }.compactMap { $0.protoName.map { String($0.dropFirst(prefix.count)) } }
    }

    /// "CUSTOMER_STATUS_" from "CUSTOMER_STATUS_UNSPECIFIED".
    private static func prefix<E: ProtoEnum>(of type: E.Type) -> String {
        let zero = E().protoName ?? ""
        return zero.hasSuffix("UNSPECIFIED") ? String(zero.dropLast("UNSPECIFIED".count)) : ""
    }

    /// A readable name for messages: the proto name, or the number for an unknown value.
    static func describe<E: ProtoEnum>(_ value: E) -> String { value.protoName ?? "\(value.rawValue)" }
}
