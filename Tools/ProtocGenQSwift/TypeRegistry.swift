// Where every message and enum of the request lives: its Swift module and nested path, and
// its protoc-c names. Emitters ask it how to spell a type from the module they are writing.

struct TypeInfo {
    enum Kind { case message, enumeration }
    let kind: Kind
    let fullName: String
    let module: String
    /// Swift path inside its module, e.g. `FieldKinds.Inner`.
    let swiftPath: String
    let message: MessageModel?
    let enumModel: EnumModel?
}

/// Well-known types with a hand-written Swift form in ProtoRuntime.
enum WellKnown {
    case timestamp, duration, fieldMask, empty
    case wrapper(ScalarKind)

    init?(_ fullName: String) {
        switch fullName {
        case "google.protobuf.Timestamp": self = .timestamp
        case "google.protobuf.Duration": self = .duration
        case "google.protobuf.FieldMask": self = .fieldMask
        case "google.protobuf.Empty": self = .empty
        case "google.protobuf.DoubleValue": self = .wrapper(.double)
        case "google.protobuf.FloatValue": self = .wrapper(.float)
        case "google.protobuf.Int64Value": self = .wrapper(.int64)
        case "google.protobuf.UInt64Value": self = .wrapper(.uint64)
        case "google.protobuf.Int32Value": self = .wrapper(.int32)
        case "google.protobuf.UInt32Value": self = .wrapper(.uint32)
        case "google.protobuf.BoolValue": self = .wrapper(.bool)
        case "google.protobuf.StringValue": self = .wrapper(.string)
        case "google.protobuf.BytesValue": self = .wrapper(.bytes)
        default: return nil
        }
    }

    /// The Swift type that stands for it (wrappers become an optional of their value).
    var swiftType: String {
        switch self {
        case .timestamp: return "ProtoRuntime.Timestamp"
        case .duration: return "ProtoRuntime.ProtoDuration"
        case .fieldMask: return "ProtoRuntime.FieldMask"
        case .empty: return "ProtoRuntime.ProtoEmpty"
        case .wrapper(let kind): return TypeRegistry.scalarSwiftType(kind)
        }
    }
}

struct TypeRegistry {
    private(set) var types: [String: TypeInfo] = [:]
    let moduleForPackage: [String: String]

    init(files: [FileModel], moduleForPackage: [String: String]) {
        self.moduleForPackage = moduleForPackage
        for file in files {
            let module = moduleForPackage[file.package] ?? "Unmapped"
            for message in file.allMessages {
                types[message.fullName] = TypeInfo(kind: .message, fullName: message.fullName, module: module,
                                                   swiftPath: message.path.joined(separator: "."), message: message, enumModel: nil)
            }
            for enumModel in file.allEnums {
                types[enumModel.fullName] = TypeInfo(kind: .enumeration, fullName: enumModel.fullName, module: module,
                                                     swiftPath: enumModel.path.joined(separator: "."), message: nil, enumModel: enumModel)
            }
        }
    }

    func info(_ fullName: String) -> TypeInfo {
        guard let info = types[fullName] else { fatalError("unknown type \(fullName)") }
        return info
    }

    /// How code in `module` names the Swift type for `fullName`.
    func swiftName(_ fullName: String, from module: String) -> String {
        if let wellKnown = WellKnown(fullName) { return wellKnown.swiftType }
        let info = info(fullName)
        return info.module == module ? info.swiftPath : info.module + "." + info.swiftPath
    }

    /// Modules that code in `module` must import for the types of `file`.
    func importedModules(for file: FileModel, allFiles: [String: FileModel], module: String) -> [String] {
        var modules = Set<String>()
        for dependency in file.dependencies {
            guard let dependencyFile = allFiles[dependency],
                  let other = moduleForPackage[dependencyFile.package], other != module, other != "ProtoRuntime" else { continue }
            modules.insert(other)
        }
        return modules.sorted()
    }

    static func scalarSwiftType(_ kind: ScalarKind) -> String {
        switch kind {
        case .double: return "Double"
        case .float: return "Float"
        case .int64, .sint64, .sfixed64: return "Int64"
        case .uint64, .fixed64: return "UInt64"
        case .int32, .sint32, .sfixed32: return "Int32"
        case .uint32, .fixed32: return "UInt32"
        case .bool: return "Bool"
        case .string: return "String"
        case .bytes: return "[UInt8]"
        case .group, .message, .enumeration: fatalError("not a scalar: \(kind)")
        }
    }
}
