import CProtobufC

/// Helpers the generated code uses to move values between protobuf-c structs and Swift.
/// They live here, once, so the generated files stay declarative.
package enum CConvert {
    /// A Swift string from a protobuf-c string field (NULL reads as empty).
    @inlinable @inline(__always)
    package static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }

    /// A Swift byte array from a protobuf-c bytes field.
    @inlinable @inline(__always)
    package static func bytes(_ data: ProtobufCBinaryData) -> [UInt8] {
        guard data.len > 0, let base = data.data else { return [] }
        return Array(UnsafeBufferPointer(start: base, count: data.len))
    }

    /// A Swift array from a protobuf-c repeated field (`n_x`, `x`).
    @inlinable @inline(__always)
    package static func array<C, S>(_ count: Int, _ pointer: UnsafePointer<C>?, _ transform: (C) -> S) -> [S] {
        guard count > 0, let pointer else { return [] }
        return UnsafeBufferPointer(start: pointer, count: count).map(transform)
    }

    /// A Swift array from a protobuf-c repeated field of pointers (messages, strings).
    @inlinable @inline(__always)
    package static func pointerArray<C, S>(_ count: Int, _ pointer: UnsafePointer<UnsafeMutablePointer<C>?>?, _ transform: (UnsafeMutablePointer<C>) -> S) -> [S] {
        guard count > 0, let pointer else { return [] }
        var result: [S] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            if let element = pointer[index] { result.append(transform(element)) }
        }
        return result
    }

    /// protobuf-c's bool.
    @inlinable @inline(__always)
    package static func bool(_ value: protobuf_c_boolean) -> Bool { value != 0 }

    /// protobuf-c's bool from Swift's.
    @inlinable @inline(__always)
    package static func cBool(_ value: Bool) -> protobuf_c_boolean { value ? 1 : 0 }

    /// Deterministic order for map entries, so equal maps always encode to equal bytes.
    package static func sortedEntries<K: Comparable, V>(_ map: [K: V]) -> [(key: K, value: V)] {
        map.sorted { $0.key < $1.key }
    }

    /// Bool keys are not `Comparable`; false sorts first.
    package static func sortedEntries<V>(_ map: [Bool: V]) -> [(key: Bool, value: V)] {
        map.sorted { !$0.key && $1.key }
    }
}

/// Encoding and decoding through protobuf-c for a message whose C struct is `CMessage`.
package enum ProtobufC {
    /// Packs a lowered C message: hands the caller the size, then packs into its buffer.
    package static func encode<R>(
        _ message: UnsafePointer<ProtobufCMessage>,
        _ body: (_ size: Int, _ encode: (UnsafeMutableRawBufferPointer) -> Void) throws -> R
    ) rethrows -> R {
        let size = protobuf_c_message_get_packed_size(message)
        return try body(size) { buffer in
            precondition(buffer.count >= size, "protobuf encoder buffer too small")
            let written = protobuf_c_message_pack(message, buffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
            precondition(written == size, "protobuf-c packed \(written) bytes, expected \(size)")
        }
    }

    /// Unpacks `bytes` with protobuf-c, lets `body` read the C struct, then frees it (on every
    /// path, also when `body` throws). Malformed input is an error, never a crash.
    @inlinable @inline(__always)
    package static func decode<CMessage, R>(
        _ descriptor: CMessageDescriptor,
        as type: CMessage.Type,
        messageName: String,
        bytes: UnsafeRawBufferPointer,
        _ body: (UnsafePointer<CMessage>) throws -> R
    ) throws -> R {
        guard let unpacked = protobuf_c_message_unpack(
            descriptor.pointer, nil, bytes.count, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self))
        else {
            throw ProtoDecodingError(messageName: messageName, reason: "malformed protobuf (\(bytes.count) bytes)")
        }
        defer { protobuf_c_message_free_unpacked(unpacked, nil) }
        return try body(UnsafeRawPointer(unpacked).assumingMemoryBound(to: CMessage.self))
    }

    /// The `ProtobufCMessage` header at the start of every generated C struct.
    @inlinable @inline(__always)
    package static func base<CMessage>(_ message: UnsafeMutablePointer<CMessage>) -> UnsafePointer<ProtobufCMessage> {
        UnsafeRawPointer(message).assumingMemoryBound(to: ProtobufCMessage.self)
    }
}

/// The address of a protoc-c message descriptor (a `const` C global).
///
/// Swift cannot take the address of an imported C constant directly, but protoc-c's `__init`
/// stores it in the message header, so we read it from there once.
package struct CMessageDescriptor: @unchecked Sendable {
    // Sendable: it points at immutable C data with static lifetime, shared read-only.
    package let pointer: UnsafePointer<ProtobufCMessageDescriptor>

    package init<CMessage>(of type: CMessage.Type, initializer: (UnsafeMutablePointer<CMessage>?) -> Void) {
        let message = UnsafeMutablePointer<CMessage>.allocate(capacity: 1)
        defer { message.deallocate() }
        initializer(message)
        pointer = UnsafeRawPointer(message).assumingMemoryBound(to: ProtobufCMessage.self).pointee.descriptor
    }
}
