/// A protobuf message as a Swift value, encoded and decoded by protobuf-c.
///
/// Generated types conform to this; the transport frames any `ProtoMessage`. Encoding hands
/// the caller the exact size first, so it can reserve room and let protobuf-c pack straight into
/// its buffer (no intermediate array).
public protocol ProtoMessage: Sendable, Hashable {
    /// A message with every field at its default value.
    init()
    /// The fully qualified proto name, e.g. `quantum.customer.v1.Customer`.
    static var protoMessageName: String { get }
    /// Decodes protobuf wire bytes. Throws `ProtoDecodingError` on malformed input.
    init(protobufBytes bytes: UnsafeRawBufferPointer) throws
    /// Calls `body` once with the exact encoded size and a function that writes exactly that
    /// many bytes into a buffer of at least that size (valid only during `body`).
    func withProtobufEncoder<R>(
        _ body: (_ size: Int, _ encode: (UnsafeMutableRawBufferPointer) -> Void) throws -> R
    ) rethrows -> R
}

extension ProtoMessage {
    /// Decodes protobuf wire bytes from any contiguous byte collection.
    public init(protobufBytes bytes: some Collection<UInt8>) throws {
        if let result = try bytes.withContiguousStorageIfAvailable({ try Self(protobufBytes: UnsafeRawBufferPointer($0)) }) {
            self = result
        } else {
            self = try Array(bytes).withUnsafeBytes { try Self(protobufBytes: $0) }
        }
    }

    /// The message's protobuf wire bytes.
    public func protobufBytes() -> [UInt8] {
        withProtobufEncoder { size, encode in
            [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
                encode(UnsafeMutableRawBufferPointer(buffer))
                initialized = size
            }
        }
    }
}

/// Why a byte sequence could not be decoded as a message.
public struct ProtoDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The message type that was being decoded.
    public var messageName: String
    /// What went wrong, for people.
    public var reason: String

    public init(messageName: String, reason: String) {
        self.messageName = messageName
        self.reason = reason
    }

    public var description: String { "cannot decode \(messageName): \(reason)" }
}

extension ProtoMessage {
    /// A message built by mutating a default one: `Customer.with { $0.displayName = "Ada" }`.
    public static func with(_ configure: (inout Self) throws -> Void) rethrows -> Self {
        var message = Self()
        try configure(&message)
        return message
    }
}
