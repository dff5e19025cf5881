import NIOCore

/// Framed bytes waiting for nghttp2's data provider on one stream (event-loop confined).
/// The provider copies from here straight into nghttp2's frame buffer.
struct OutboundDataQueue {
    private var buffers = CircularBuffer<ByteBuffer>(initialCapacity: 2)
    private(set) var pendingBytes = 0
    /// True while nghttp2 holds the stream deferred, waiting for `resumeData`.
    var isDeferred = false

    var isEmpty: Bool { pendingBytes == 0 }

    mutating func append(_ buffer: ByteBuffer) {
        guard buffer.readableBytes > 0 else { return }
        pendingBytes += buffer.readableBytes
        buffers.append(buffer)
    }

    /// Copies up to `destination.count` bytes; returns how many.
    mutating func read(into destination: UnsafeMutableRawBufferPointer) -> Int {
        var written = 0
        while written < destination.count, var first = buffers.first {
            let count = min(first.readableBytes, destination.count - written)
            first.withUnsafeReadableBytes { source in
                UnsafeMutableRawBufferPointer(rebasing: destination[written..<(written + count)])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[..<count]))
            }
            first.moveReaderIndex(forwardBy: count)
            written += count
            if first.readableBytes == 0 {
                buffers.removeFirst()
            } else {
                buffers[buffers.startIndex] = first
            }
        }
        pendingBytes -= written
        return written
    }

    mutating func removeAll() {
        buffers.removeAll()
        pendingBytes = 0
    }
}
