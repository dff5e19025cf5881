/// A proto file as server reflection serves it: the serialized `FileDescriptorProto` plus the
/// names needed to answer "file by name", "file containing symbol" and transitive imports.
public struct ProtoFileDescriptor: Sendable, Hashable {
    /// Path as imported, e.g. `quantum/customer/v1/customer.proto`.
    public let name: String
    /// Proto package, e.g. `quantum.customer.v1`.
    public let package: String
    /// Files this one imports (paths).
    public let dependencies: [String]
    /// Fully qualified names of every message, enum, service and method defined here.
    public let symbols: [String]
    /// The serialized `google.protobuf.FileDescriptorProto` (without source info), base64.
    private let serializedBase64: String

    public init(name: String, package: String, dependencies: [String], symbols: [String], serializedBase64: String) {
        self.name = name
        self.package = package
        self.dependencies = dependencies
        self.symbols = symbols
        self.serializedBase64 = serializedBase64
    }

    /// The serialized `FileDescriptorProto`.
    public var serialized: [UInt8] { Base64.decode(serializedBase64) ?? [] }
}

extension ProtoFileDescriptor {
    /// The files of several lists, each name once, in first-seen order.
    public static func merging(_ lists: [ProtoFileDescriptor]...) -> [ProtoFileDescriptor] {
        var seen = Set<String>()
        return lists.joined().filter { seen.insert($0.name).inserted }
    }
}
