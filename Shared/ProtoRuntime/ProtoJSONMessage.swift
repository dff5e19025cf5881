/// A message with the proto3 JSON mapping (int64 as strings, enums by name, Timestamp as
/// RFC 3339, bytes as base64, default values omitted). Generated messages conform.
public protocol ProtoJSONMessage: ProtoMessage {
    /// The message as a proto3 JSON value.
    func protoJSONValue() -> JSONValue
    /// Reads a proto3 JSON value; accepts lowerCamel and original field names, and `null` for defaults.
    init(protoJSONValue json: JSONValue) throws
}

extension ProtoJSONMessage {
    /// The message as proto3 JSON text.
    public func jsonString(pretty: Bool = false) -> String {
        protoJSONValue().text(pretty: pretty)
    }

    /// Reads proto3 JSON text.
    public init(jsonString: String) throws {
        try self.init(protoJSONValue: JSONValue(parsing: jsonString))
    }
}

/// Why JSON could not be read as a message.
public enum ProtoJSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text is not JSON.
    case syntax(String)
    /// The JSON does not fit the message: which field (dotted path) and what was expected.
    case invalidField(field: String, reason: String)
    /// A member that the message does not have.
    case unknownField(message: String, field: String)

    public var description: String {
        switch self {
        case .syntax(let reason): return "invalid JSON: \(reason)"
        case let .invalidField(field, reason): return "field \(field): \(reason)"
        case let .unknownField(message, field): return "\(message) has no field \"\(field)\""
        }
    }
}
