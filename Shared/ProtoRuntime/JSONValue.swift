/// A parsed or to-be-written JSON document. Numbers keep their literal text, so 64-bit integers
/// and exact decimals survive without passing through `Double`.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number literal exactly as written, e.g. `-12`, `1.5e3`.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in order (proto3 JSON writes fields in declaration order).
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// The value of member `key` of an object, nil otherwise.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }
}

/// Builds a JSON object member by member, in the order fields are declared.
public struct JSONObjectBuilder: Sendable {
    public private(set) var members: [(key: String, value: JSONValue)] = []

    public init() {}

    public mutating func add(_ key: String, _ value: JSONValue) {
        members.append((key, value))
    }

    public var value: JSONValue { .object(members) }
}
