// One value of a field (a singular field, a repeated element, a map key or value, a oneof arm)
// and the expressions that move it between C, Swift and JSON.

enum ValueType {
    case scalar(ScalarKind)
    case enumeration(TypeInfo)
    case message(TypeInfo)
    case wellKnown(WellKnown)

    init(kind: ScalarKind, typeName: String?, registry: TypeRegistry) {
        switch kind {
        case .message:
            let name = typeName!
            if let wellKnown = WellKnown(name) { self = .wellKnown(wellKnown) } else { self = .message(registry.info(name)) }
        case .enumeration:
            self = .enumeration(registry.info(typeName!))
        default:
            self = .scalar(kind)
        }
    }

    /// In C this value is a pointer that may be NULL (so a singular Swift field is Optional).
    var isPointerInC: Bool {
        switch self {
        case .message, .wellKnown: return true
        case .scalar(.string): return false
        default: return false
        }
    }

    /// Repeated fields of this value are `T **` in C (arrays of pointers).
    var isPointerArrayInC: Bool {
        if case .scalar(.string) = self { return true }
        return isPointerInC
    }

    func swiftType(in module: String, registry: TypeRegistry) -> String {
        switch self {
        case .scalar(let kind): return TypeRegistry.scalarSwiftType(kind)
        case .enumeration(let info), .message(let info): return registry.swiftName(info.fullName, from: module)
        case .wellKnown(let wellKnown): return wellKnown.swiftType
        }
    }

    /// The zero value of a non-pointer value.
    var defaultValue: String {
        switch self {
        case .scalar(.bool): return "false"
        case .scalar(.string): return "\"\""
        case .scalar(.bytes): return "[]"
        case .scalar: return "0"
        case .enumeration: return ".init()"
        case .message, .wellKnown: return "nil"
        }
    }

    /// Swift expression for the value held in C expression `c` (non-NULL for pointer kinds).
    func fromC(_ c: String, in module: String, registry: TypeRegistry) -> String {
        switch self {
        case .scalar(.bool): return "CConvert.bool(\(c))"
        case .scalar(.string): return "CConvert.string(\(c))"
        case .scalar(.bytes): return "CConvert.bytes(\(c))"
        case .scalar(let kind): return "\(TypeRegistry.scalarSwiftType(kind))(\(c))"
        case .enumeration(let info):
            return "\(registry.swiftName(info.fullName, from: module))(rawValue: Int32(truncatingIfNeeded: \(c).rawValue))"
        case .message(let info): return "\(registry.swiftName(info.fullName, from: module))(c: \(c))"
        case .wellKnown(.wrapper): return "CConvert.wrapper(\(c))"
        case .wellKnown(let wellKnown): return "\(wellKnown.swiftType)(c: \(c))"
        }
    }

    /// C expression for Swift value `value` (allocating in `arena` where needed).
    func toC(_ value: String) -> String {
        switch self {
        case .scalar(.bool): return "CConvert.cBool(\(value))"
        case .scalar(.string): return "arena.cString(\(value))"
        case .scalar(.bytes): return "arena.binaryData(\(value))"
        case .scalar: return ".init(\(value))"
        case .enumeration: return ".init(rawValue: .init(truncatingIfNeeded: \(value).rawValue))"
        case .message, .wellKnown(.timestamp), .wellKnown(.duration), .wellKnown(.fieldMask), .wellKnown(.empty):
            return "\(value).lower(into: arena)"
        case .wellKnown(.wrapper): return "arena.wrapper(\(value))"
        }
    }

    /// Swift condition that is true when `value` is not the proto3 default (it must be written).
    func isNonDefault(_ value: String) -> String {
        switch self {
        case .scalar(.bool): return value
        case .scalar(.string), .scalar(.bytes): return "!\(value).isEmpty"
        case .scalar: return "\(value) != 0"
        case .enumeration: return "\(value).rawValue != 0"
        case .message, .wellKnown: return "true"
        }
    }

    /// JSON value expression for Swift value `value`.
    func toJSON(_ value: String) -> String {
        switch self {
        case .scalar(let kind): return "ProtoJSON.\(jsonCoder(kind))(\(value))"
        case .enumeration: return "ProtoJSON.enumValue(\(value))"
        case .message: return "\(value).protoJSONValue()"
        case .wellKnown(.timestamp): return "ProtoJSON.timestamp(\(value))"
        case .wellKnown(.duration): return "ProtoJSON.duration(\(value))"
        case .wellKnown(.fieldMask): return "ProtoJSON.fieldMask(\(value))"
        case .wellKnown(.empty): return "JSONValue.object([])"
        case .wellKnown(.wrapper(let kind)): return "ProtoJSON.\(jsonCoder(kind))(\(value))"
        }
    }

    /// Swift expression reading JSON value `json` (may throw), for field path `field`.
    func fromJSON(_ json: String, field: String, in module: String, registry: TypeRegistry) -> String {
        switch self {
        case .scalar(let kind): return "try ProtoJSON.\(jsonCoder(kind))(\(json), field: \(field))"
        case .enumeration: return "try ProtoJSON.enumValue(\(json), field: \(field))"
        case .message(let info): return "try \(registry.swiftName(info.fullName, from: module))(protoJSONValue: \(json))"
        case .wellKnown(.timestamp): return "try ProtoJSON.timestamp(\(json), field: \(field))"
        case .wellKnown(.duration): return "try ProtoJSON.duration(\(json), field: \(field))"
        case .wellKnown(.fieldMask): return "try ProtoJSON.fieldMask(\(json), field: \(field))"
        case .wellKnown(.empty): return "ProtoRuntime.ProtoEmpty()"
        case .wellKnown(.wrapper(let kind)): return "try ProtoJSON.\(jsonCoder(kind))(\(json), field: \(field))"
        }
    }

    private func jsonCoder(_ kind: ScalarKind) -> String {
        switch kind {
        case .double: return "double"
        case .float: return "float"
        case .int64, .sint64, .sfixed64: return "int64"
        case .uint64, .fixed64: return "uint64"
        case .int32, .sint32, .sfixed32: return "int32"
        case .uint32, .fixed32: return "uint32"
        case .bool: return "bool"
        case .string: return "string"
        case .bytes: return "bytes"
        case .group, .message, .enumeration: fatalError("not a scalar")
        }
    }
}
