import NIOCore
import ProtoRuntime
import RPCCore

/// Writes messages in gRPC framing (flag, 4-byte big-endian length, payload).
enum GRPCMessageFramer {
    /// Encodes `message` straight into `buffer` after its 5-byte prefix (no intermediate copy
    /// unless compressing). Throws RESOURCE_EXHAUSTED when over `maxMessageSize`.
    static func write<Message: ProtoMessage>(
        _ message: Message, into buffer: inout ByteBuffer,
        compression: CompressionAlgorithm = .identity, maxMessageSize: Int = .max
    ) throws(RPCError) {
        let result: Result<Void, RPCError> = message.withProtobufEncoder { size, encode in
            guard size <= maxMessageSize else {
                return .failure(RPCError(
                    code: .resourceExhausted,
                    message: "sent message larger than max (\(size) vs. \(maxMessageSize))"))
            }
            if compression == .identity {
                buffer.reserveCapacity(minimumWritableBytes: 5 + size)
                buffer.writeInteger(UInt8(0))
                buffer.writeInteger(UInt32(size))
                buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { destination in
                    encode(UnsafeMutableRawBufferPointer(rebasing: destination[..<size]))
                    return size
                }
                return .success(())
            }
            var plain = ByteBufferAllocator().buffer(capacity: size)
            plain.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { destination in
                encode(UnsafeMutableRawBufferPointer(rebasing: destination[..<size]))
                return size
            }
            return Result { () throws(RPCError) in try writeCompressed(plain, into: &buffer, compression: compression) }
        }
        try result.get()
    }

    /// Frames already-encoded bytes (used for compression and by proxies).
    static func writeCompressed(
        _ plain: ByteBuffer, into buffer: inout ByteBuffer, compression: CompressionAlgorithm
    ) throws(RPCError) {
        let prefixIndex = buffer.writerIndex
        buffer.writeInteger(UInt8(1))
        buffer.writeInteger(UInt32(0))  // patched below
        let written = try Zlib.compress(plain, algorithm: compression, into: &buffer)
        buffer.setInteger(UInt32(written), at: prefixIndex + 1)
    }
}
