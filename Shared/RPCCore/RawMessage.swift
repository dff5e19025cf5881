import ProtoRuntime

/// A message whose bytes pass through unchanged: for proxies, generic clients and tests.
public struct RawMessage: ProtoMessage, ExpressibleByStringLiteral {
    public static var protoMessageName: String { "bytes" }

    public var bytes: [UInt8]

    public init() { bytes = [] }
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public init(_ string: String) { bytes = Array(string.utf8) }
    public init(stringLiteral value: String) { self.init(value) }

    public init(protobufBytes bytes: UnsafeRawBufferPointer) throws { self.bytes = Array(bytes) }

    public func withProtobufEncoder<R>(
        _ body: (_ size: Int, _ encode: (UnsafeMutableRawBufferPointer) -> Void) throws -> R
    ) rethrows -> R {
        try body(bytes.count) { destination in
            bytes.withUnsafeBytes { destination.copyMemory(from: $0) }
        }
    }

    /// The bytes as UTF-8 text (for tests and logs).
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
