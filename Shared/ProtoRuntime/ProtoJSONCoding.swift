/// The proto3 JSON mapping of each scalar kind, used by the generated `protoJSONValue()` and
/// `init(protoJSONValue:)`. One place decides every kind's format.
public enum ProtoJSON {
    // MARK: Writing

    public static func int32(_ value: Int32) -> JSONValue { .number(String(value)) }
    public static func uint32(_ value: UInt32) -> JSONValue { .number(String(value)) }
    /// 64-bit integers are strings: JSON numbers lose precision above 2^53 in most readers.
    public static func int64(_ value: Int64) -> JSONValue { .string(String(value)) }
    public static func uint64(_ value: UInt64) -> JSONValue { .string(String(value)) }
    public static func bool(_ value: Bool) -> JSONValue { .bool(value) }
    public static func string(_ value: String) -> JSONValue { .string(value) }
    public static func bytes(_ value: [UInt8]) -> JSONValue { .string(Base64.encode(value)) }

    public static func double(_ value: Double) -> JSONValue {
        if value.isNaN { return .string("NaN") }
        if value.isInfinite { return .string(value < 0 ? "-Infinity" : "Infinity") }
        if value == value.rounded(), abs(value) < 1e15 { return .number(String(Int64(value))) }
        return .number(value.description)
    }

    public static func float(_ value: Float) -> JSONValue {
        if value.isNaN { return .string("NaN") }
        if value.isInfinite { return .string(value < 0 ? "-Infinity" : "Infinity") }
        if value == value.rounded(), abs(value) < 1e7 { return .number(String(Int64(value))) }
        return .number(value.description)
    }

    public static func enumValue<E: ProtoEnum>(_ value: E) -> JSONValue {
        if let name = value.protoName { return .string(name) }
        return .number(String(value.rawValue))
    }

    public static func timestamp(_ value: Timestamp) -> JSONValue { .string(RFC3339.format(value)) }
    public static func duration(_ value: ProtoDuration) -> JSONValue { .string(DurationText.format(value)) }
    public static func fieldMask(_ value: FieldMask) -> JSONValue {
        .string(value.paths.map { $0.split(separator: ".").map { lowerCamel(String($0)) }.joined(separator: ".") }.joined(separator: ","))
    }

    /// Map keys are always JSON strings.
    public static func mapKey<K: LosslessStringConvertible>(_ key: K) -> String { key.description }

    // MARK: Reading

    /// The members of an object, or a clear error naming the field.
    public static func object(_ json: JSONValue, field: String) throws -> [(key: String, value: JSONValue)] {
        guard case .object(let members) = json else { throw invalid(field, "expected an object") }
        return members
    }

    public static func array(_ json: JSONValue, field: String) throws -> [JSONValue] {
        if case .null = json { return [] }
        guard case .array(let elements) = json else { throw invalid(field, "expected an array") }
        return elements
    }

    public static func int32(_ json: JSONValue, field: String) throws -> Int32 { try integer(json, field: field) }
    public static func uint32(_ json: JSONValue, field: String) throws -> UInt32 { try integer(json, field: field) }
    public static func int64(_ json: JSONValue, field: String) throws -> Int64 { try integer(json, field: field) }
    public static func uint64(_ json: JSONValue, field: String) throws -> UInt64 { try integer(json, field: field) }

    /// Integers are accepted as numbers or strings; `1.0` and `1e2` are accepted when integral.
    static func integer<I: FixedWidthInteger>(_ json: JSONValue, field: String) throws -> I {
        let text: String
        switch json {
        case .number(let literal): text = literal
        case .string(let string): text = string
        default: throw invalid(field, "expected an integer")
        }
        if let exact = I(text) { return exact }
        if let double = Double(text), double == double.rounded(), let exact = I(exactly: double) { return exact }
        throw invalid(field, "\(text) is not a valid \(I.self)")
    }

    public static func double(_ json: JSONValue, field: String) throws -> Double {
        switch json {
        case .number(let literal):
            if let value = Double(literal) { return value }
        case .string("NaN"): return .nan
        case .string("Infinity"): return .infinity
        case .string("-Infinity"): return -.infinity
        case .string(let text):
            if let value = Double(text), !text.isEmpty, value.isFinite { return value }
        default: break
        }
        throw invalid(field, "expected a number")
    }

    public static func float(_ json: JSONValue, field: String) throws -> Float {
        let value = try double(json, field: field)
        if value.isFinite, abs(value) > Double(Float.greatestFiniteMagnitude) { throw invalid(field, "out of range for float") }
        return Float(value)
    }

    public static func bool(_ json: JSONValue, field: String) throws -> Bool {
        guard case .bool(let value) = json else { throw invalid(field, "expected true or false") }
        return value
    }

    public static func string(_ json: JSONValue, field: String) throws -> String {
        guard case .string(let value) = json else { throw invalid(field, "expected a string") }
        return value
    }

    public static func bytes(_ json: JSONValue, field: String) throws -> [UInt8] {
        guard case .string(let text) = json, let value = Base64.decode(text) else { throw invalid(field, "expected base64 text") }
        return value
    }

    /// Enums by proto name, or by number (kept even when unknown: proto3 enums are open).
    public static func enumValue<E: ProtoEnum>(_ json: JSONValue, field: String) throws -> E {
        switch json {
        case .string(let name):
            if let value = E(protoName: name) { return value }
            throw invalid(field, "unknown enum value \"\(name)\"")
        case .number:
            return E(rawValue: try int32(json, field: field)) ?? E()
        default:
            throw invalid(field, "expected an enum name")
        }
    }

    public static func timestamp(_ json: JSONValue, field: String) throws -> Timestamp {
        guard case .string(let text) = json, let value = RFC3339.parse(text) else {
            throw invalid(field, "expected an RFC 3339 timestamp such as 2026-01-31T12:00:00Z")
        }
        return value
    }

    public static func duration(_ json: JSONValue, field: String) throws -> ProtoDuration {
        guard case .string(let text) = json, let value = DurationText.parse(text) else {
            throw invalid(field, "expected a duration such as \"1.5s\"")
        }
        return value
    }

    public static func fieldMask(_ json: JSONValue, field: String) throws -> FieldMask {
        let text = try string(json, field: field)
        let paths = text.split(separator: ",").map { $0.split(separator: ".").map { snakeCase(String($0)) }.joined(separator: ".") }
        return FieldMask(paths: paths)
    }

    /// A map key read back from its JSON string form.
    public static func mapKey<K: LosslessStringConvertible>(_ text: String, field: String) throws -> K {
        guard let key = K(text) else { throw invalid(field, "invalid map key \"\(text)\"") }
        return key
    }

    public static func invalid(_ field: String, _ reason: String) -> ProtoJSONError {
        .invalidField(field: field, reason: reason)
    }

    /// `display_name` → `displayName` (the proto3 JSON name rule).
    public static func lowerCamel(_ snake: String) -> String {
        var result = ""
        var upperNext = false
        for character in snake {
            if character == "_" { upperNext = true; continue }
            result.append(upperNext ? Character(character.uppercased()) : character)
            upperNext = false
        }
        return result
    }

    /// `displayName` → `display_name`.
    public static func snakeCase(_ camel: String) -> String {
        var result = ""
        for character in camel {
            if character.isUppercase { result += "_" + character.lowercased() } else { result.append(character) }
        }
        return result
    }
}
