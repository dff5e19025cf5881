import NIOCore
import RPCCore

/// One gRPC message as it came off the wire: payload bytes (a slice, no copy) and whether
/// the compressed flag was set.
struct FramedMessage: Sendable {
    var compressed: Bool
    var payload: ByteBuffer
}

/// Splits a byte stream into gRPC length-prefixed messages (1-byte flag, 4-byte big-endian
/// length, payload), across any chunk boundaries.
///
/// The size limit is checked as soon as a prefix is read, before any of the payload is
/// buffered, so a peer claiming a 2 GiB message costs 5 bytes, not 2 GiB.
struct GRPCMessageDeframer {
    static let prefixLength = 5

    let maxMessageSize: Int
    private var buffer: ByteBuffer?

    init(maxMessageSize: Int) {
        self.maxMessageSize = maxMessageSize
    }

    /// Bytes received that do not yet form a whole message.
    var bufferedBytes: Int { buffer?.readableBytes ?? 0 }

    /// True when the stream may end here (no partial message pending).
    var isAtMessageBoundary: Bool { bufferedBytes == 0 }

    /// Appends bytes valid only for the duration of the call (nghttp2's receive buffer).
    mutating func append(_ bytes: UnsafeRawBufferPointer, allocator: ByteBufferAllocator) {
        if buffer == nil {
            buffer = allocator.buffer(capacity: max(bytes.count, 256))
        } else if buffer!.readerIndex > 0 && buffer!.writableBytes < bytes.count {
            // Reclaim consumed space rather than grow (moves only the partial message).
            buffer!.discardReadBytes()
        }
        buffer!.writeBytes(bytes)
    }

    mutating func append(_ bytes: ByteBuffer) {
        if buffer == nil {
            buffer = bytes
        } else {
            var bytes = bytes
            buffer!.writeBuffer(&bytes)
        }
    }

    /// The next complete message, or nil if more bytes are needed.
    /// Throws RESOURCE_EXHAUSTED when a prefix announces a message over the limit.
    mutating func next() throws(RPCError) -> FramedMessage? {
        guard var current = buffer, current.readableBytes >= Self.prefixLength else { return nil }
        let flag = current.getInteger(at: current.readerIndex, as: UInt8.self)!
        let length = Int(current.getInteger(at: current.readerIndex + 1, as: UInt32.self)!)
        guard length <= maxMessageSize else {
            buffer = nil
            throw RPCError(
                code: .resourceExhausted,
                message: "received message larger than max (\(length) vs. \(maxMessageSize))")
        }
        guard current.readableBytes >= Self.prefixLength + length else {
            // Make room for the whole message once, rather than growing chunk by chunk.
            if current.capacity - current.readerIndex < Self.prefixLength + length {
                buffer = nil  // drop our reference so the reserve below does not copy twice
                current.discardReadBytes()
                current.reserveCapacity(Self.prefixLength + length)
            }
            buffer = current
            return nil
        }
        buffer = nil  // unique again, so slicing below does not trigger copy-on-write later
        current.moveReaderIndex(forwardBy: Self.prefixLength)
        let payload = current.readSlice(length: length)!
        if current.readableBytes > 0 { buffer = current }
        return FramedMessage(compressed: flag & 1 == 1, payload: payload)
    }
}
