import CZlib
import NIOCore
import RPCCore

/// gzip and deflate (zlib format) for gRPC message compression. Each call owns one z_stream,
/// heap-allocated (zlib keeps a pointer back to it) and ended on every path.
enum Zlib {
    /// zlib's windowBits: 15 = zlib wrapper ("deflate" in gRPC), +16 = gzip wrapper.
    private static func windowBits(_ algorithm: CompressionAlgorithm) -> Int32 {
        algorithm == .gzip ? 15 + 16 : 15
    }

    /// Compresses `input` and appends the result to `output`; returns the number of bytes written.
    static func compress(
        _ input: ByteBuffer, algorithm: CompressionAlgorithm, into output: inout ByteBuffer
    ) throws(RPCError) -> Int {
        precondition(algorithm != .identity)
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deinitialize(count: 1); stream.deallocate() }
        guard deflateInit2_(
            stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, windowBits(algorithm), 8, Z_DEFAULT_STRATEGY,
            zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { throw RPCError(code: .internal, message: "zlib: deflateInit failed") }
        defer { deflateEnd(stream) }

        let start = output.writerIndex
        var status: Int32 = Z_OK
        input.withUnsafeReadableBytes { source in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: source.bindMemory(to: Bytef.self).baseAddress)
            stream.pointee.avail_in = UInt32(source.count)
            let bound = Int(deflateBound(stream, UInt(source.count)))
            repeat {
                output.writeWithUnsafeMutableBytes(minimumWritableBytes: max(bound, 64)) { destination in
                    stream.pointee.next_out = destination.bindMemory(to: Bytef.self).baseAddress
                    stream.pointee.avail_out = UInt32(destination.count)
                    status = deflate(stream, Z_FINISH)
                    return destination.count - Int(stream.pointee.avail_out)
                }
            } while status == Z_OK || (status == Z_BUF_ERROR && stream.pointee.avail_out == 0)
        }
        guard status == Z_STREAM_END else {
            throw RPCError(code: .internal, message: "zlib: deflate failed (\(status))")
        }
        return output.writerIndex - start
    }

    /// Decompresses one message, refusing to produce more than `limit` bytes (a small
    /// compressed message must not expand into gigabytes).
    static func decompress(
        _ input: ByteBuffer, algorithm: CompressionAlgorithm, limit: Int, allocator: ByteBufferAllocator
    ) throws(RPCError) -> ByteBuffer {
        precondition(algorithm != .identity)
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deinitialize(count: 1); stream.deallocate() }
        guard inflateInit2_(stream, windowBits(algorithm), zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { throw RPCError(code: .internal, message: "zlib: inflateInit failed") }
        defer { inflateEnd(stream) }

        var output = allocator.buffer(capacity: min(max(input.readableBytes * 4, 256), limit + 1))
        var status: Int32 = Z_OK
        var overLimit = false
        input.withUnsafeReadableBytes { source in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: source.bindMemory(to: Bytef.self).baseAddress)
            stream.pointee.avail_in = UInt32(source.count)
            while status == Z_OK {
                if output.readableBytes > limit { overLimit = true; return }
                let chunk = min(max(output.readableBytes, 4096), limit + 1 - output.readableBytes)
                output.writeWithUnsafeMutableBytes(minimumWritableBytes: chunk) { destination in
                    stream.pointee.next_out = destination.bindMemory(to: Bytef.self).baseAddress
                    stream.pointee.avail_out = UInt32(min(destination.count, chunk))
                    let before = stream.pointee.avail_out
                    status = inflate(stream, Z_NO_FLUSH)
                    return Int(before - stream.pointee.avail_out)
                }
                if status == Z_BUF_ERROR && stream.pointee.avail_in > 0 { status = Z_OK }
            }
        }
        if overLimit || output.readableBytes > limit {
            throw RPCError(
                code: .resourceExhausted, message: "decompressed message larger than max (\(limit))")
        }
        guard status == Z_STREAM_END else {
            throw RPCError(code: .internal, message: "could not decompress message (\(algorithm.name))")
        }
        return output
    }
}
