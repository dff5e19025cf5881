import CProtobufC
import CProtos

// The generator's own model of the proto files in a CodeGeneratorRequest, read once from the
// protobuf-c structs so that the emitters never touch C.

/// Scalar wire types, named as in descriptor.proto.
enum ScalarKind: Int32 {
    case double = 1, float = 2, int64 = 3, uint64 = 4, int32 = 5, fixed64 = 6, fixed32 = 7, bool = 8
    case string = 9, group = 10, message = 11, bytes = 12, uint32 = 13, enumeration = 14
    case sfixed32 = 15, sfixed64 = 16, sint32 = 17, sint64 = 18
}

struct FieldModel {
    let name: String
    let number: Int32
    let isRepeated: Bool
    let kind: ScalarKind
    /// Fully qualified type name without the leading dot (messages and enums).
    let typeName: String?
    let oneofIndex: Int?
    let jsonName: String
    let comment: String?
}

struct OneofModel {
    let name: String
    let comment: String?
}

struct EnumValueModel {
    let name: String
    let number: Int32
    let comment: String?
}

struct EnumModel {
    let fullName: String
    /// Names from the file's top level down, e.g. ["FieldKinds", "Level"].
    let path: [String]
    let values: [EnumValueModel]
    let comment: String?
}

struct MessageModel {
    let fullName: String
    let path: [String]
    let fields: [FieldModel]
    let oneofs: [OneofModel]
    let nestedMessages: [MessageModel]
    let nestedEnums: [EnumModel]
    let isMapEntry: Bool
    let comment: String?
}

struct MethodModel {
    let name: String
    let inputType: String
    let outputType: String
    let clientStreaming: Bool
    let serverStreaming: Bool
    let comment: String?
}

struct ServiceModel {
    let fullName: String
    let name: String
    let methods: [MethodModel]
    let comment: String?
}

struct FileModel {
    let name: String
    let package: String
    let dependencies: [String]
    let messages: [MessageModel]
    let enums: [EnumModel]
    let services: [ServiceModel]
    /// Serialized FileDescriptorProto without source info, for reflection.
    let serializedDescriptor: [UInt8]

    /// Every message in the file, nested ones included, parents before children.
    var allMessages: [MessageModel] {
        func walk(_ message: MessageModel) -> [MessageModel] { [message] + message.nestedMessages.flatMap(walk) }
        return messages.flatMap(walk)
    }

    /// Every enum in the file, nested ones included.
    var allEnums: [EnumModel] {
        enums + allMessages.flatMap(\.nestedEnums)
    }

    /// Fully qualified names reflection resolves to this file.
    var symbols: [String] {
        allMessages.filter { !$0.isMapEntry }.map(\.fullName) + allEnums.map(\.fullName)
            + services.flatMap { service in [service.fullName] + service.methods.map { service.fullName + "." + $0.name } }
    }
}

// MARK: - Reading the C structs

private func string(_ pointer: UnsafePointer<CChar>?) -> String {
    pointer.map { String(cString: $0) } ?? ""
}

private func list<T>(_ count: Int, _ pointer: UnsafeMutablePointer<UnsafeMutablePointer<T>?>?) -> [UnsafeMutablePointer<T>] {
    guard let pointer, count > 0 else { return [] }
    return (0..<count).compactMap { pointer[$0] }
}

/// Leading comments by source location path (descriptor.proto field numbers and indexes).
struct Comments {
    private var byPath: [[Int32]: String] = [:]

    init(_ info: UnsafeMutablePointer<Google__Protobuf__SourceCodeInfo>?) {
        guard let info else { return }
        for location in list(info.pointee.n_location, info.pointee.location) {
            guard let leading = location.pointee.leading_comments else { continue }
            let path = Array(UnsafeBufferPointer(start: location.pointee.path, count: location.pointee.n_path))
            let text = String(cString: leading).trimmed
            if !text.isEmpty { byPath[path] = text }
        }
    }

    subscript(path: [Int32]) -> String? { byPath[path] }
}

extension String {
    /// Without leading and trailing white space.
    var trimmed: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}

func readFile(_ file: UnsafeMutablePointer<Google__Protobuf__FileDescriptorProto>) -> FileModel {
    let package = string(file.pointee.package)
    let comments = Comments(file.pointee.source_code_info)
    let prefix = package.isEmpty ? "" : package + "."

    func readEnum(_ e: UnsafeMutablePointer<Google__Protobuf__EnumDescriptorProto>, parentPath: [String], location: [Int32]) -> EnumModel {
        let name = string(e.pointee.name)
        let values = list(e.pointee.n_value, e.pointee.value).enumerated().map { index, value in
            EnumValueModel(name: string(value.pointee.name), number: value.pointee.number,
                           comment: comments[location + [2, Int32(index)]])
        }
        return EnumModel(fullName: prefix + (parentPath + [name]).joined(separator: "."), path: parentPath + [name],
                         values: values, comment: comments[location])
    }

    func readMessage(_ m: UnsafeMutablePointer<Google__Protobuf__DescriptorProto>, parentPath: [String], location: [Int32]) -> MessageModel {
        let name = string(m.pointee.name)
        let path = parentPath + [name]
        let fields = list(m.pointee.n_field, m.pointee.field).enumerated().map { index, f -> FieldModel in
            let typeName = f.pointee.type_name.map { String(String(cString: $0).drop(while: { $0 == "." })) }
            if f.pointee.has_proto3_optional != 0 && f.pointee.proto3_optional != 0 {
                fatalError("\(prefix)\(name).\(string(f.pointee.name)): proto3 `optional` is not supported by protoc-c 1.4; use a wrapper type or a oneof")
            }
            guard let kind = ScalarKind(rawValue: Int32(f.pointee.type.rawValue)), kind != .group else {
                fatalError("\(prefix)\(name).\(string(f.pointee.name)): unsupported field type")
            }
            return FieldModel(
                name: string(f.pointee.name), number: f.pointee.number,
                isRepeated: f.pointee.label.rawValue == 3, kind: kind, typeName: typeName,
                oneofIndex: f.pointee.has_oneof_index != 0 ? Int(f.pointee.oneof_index) : nil,
                jsonName: f.pointee.json_name.map { String(cString: $0) } ?? string(f.pointee.name),
                comment: comments[location + [2, Int32(index)]])
        }
        let oneofs = list(m.pointee.n_oneof_decl, m.pointee.oneof_decl).enumerated().map { index, o in
            OneofModel(name: string(o.pointee.name), comment: comments[location + [8, Int32(index)]])
        }
        let nested = list(m.pointee.n_nested_type, m.pointee.nested_type).enumerated().map { index, n in
            readMessage(n, parentPath: path, location: location + [3, Int32(index)])
        }
        let nestedEnums = list(m.pointee.n_enum_type, m.pointee.enum_type).enumerated().map { index, e in
            readEnum(e, parentPath: path, location: location + [4, Int32(index)])
        }
        let isMapEntry = m.pointee.options.map { $0.pointee.has_map_entry != 0 && $0.pointee.map_entry != 0 } ?? false
        return MessageModel(fullName: prefix + path.joined(separator: "."), path: path, fields: fields, oneofs: oneofs,
                            nestedMessages: nested, nestedEnums: nestedEnums, isMapEntry: isMapEntry,
                            comment: comments[location])
    }

    let messages = list(file.pointee.n_message_type, file.pointee.message_type).enumerated().map { index, m in
        readMessage(m, parentPath: [], location: [4, Int32(index)])
    }
    let enums = list(file.pointee.n_enum_type, file.pointee.enum_type).enumerated().map { index, e in
        readEnum(e, parentPath: [], location: [5, Int32(index)])
    }
    let services = list(file.pointee.n_service, file.pointee.service).enumerated().map { index, s -> ServiceModel in
        let methods = list(s.pointee.n_method, s.pointee.method).enumerated().map { methodIndex, m in
            MethodModel(
                name: string(m.pointee.name),
                inputType: String(string(m.pointee.input_type).drop(while: { $0 == "." })),
                outputType: String(string(m.pointee.output_type).drop(while: { $0 == "." })),
                clientStreaming: m.pointee.has_client_streaming != 0 && m.pointee.client_streaming != 0,
                serverStreaming: m.pointee.has_server_streaming != 0 && m.pointee.server_streaming != 0,
                comment: comments[[6, Int32(index), 2, Int32(methodIndex)]])
        }
        let name = string(s.pointee.name)
        return ServiceModel(fullName: prefix + name, name: name, methods: methods, comment: comments[[6, Int32(index)]])
    }
    let dependencies = (0..<file.pointee.n_dependency).map { string(file.pointee.dependency[$0]) }

    return FileModel(name: string(file.pointee.name), package: package, dependencies: dependencies,
                     messages: messages, enums: enums, services: services,
                     serializedDescriptor: serializeWithoutSourceInfo(file))
}

/// The file's descriptor as reflection serves it: source locations dropped (they are large and
/// only of use to code generators).
private func serializeWithoutSourceInfo(_ file: UnsafeMutablePointer<Google__Protobuf__FileDescriptorProto>) -> [UInt8] {
    let saved = file.pointee.source_code_info
    file.pointee.source_code_info = nil
    defer { file.pointee.source_code_info = saved }
    let base = UnsafeRawPointer(file).assumingMemoryBound(to: ProtobufCMessage.self)
    let size = protobuf_c_message_get_packed_size(base)
    return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
        count = protobuf_c_message_pack(base, buffer.baseAddress!)
    }
}
