import CNGHTTP2
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One received HTTP/2 frame.
struct RawFrame: Equatable {
    static let data: UInt8 = 0x0, headers: UInt8 = 0x1, rstStream: UInt8 = 0x3, settings: UInt8 = 0x4
    static let ping: UInt8 = 0x6, goAway: UInt8 = 0x7, windowUpdate: UInt8 = 0x8, continuation: UInt8 = 0x9
    static let endStream: UInt8 = 0x1, endHeaders: UInt8 = 0x4, ack: UInt8 = 0x1

    var type: UInt8
    var flags: UInt8
    var stream: UInt32
    var payload: [UInt8]

    /// The error code of a GOAWAY or RST_STREAM.
    var errorCode: UInt32? {
        switch type {
        case Self.goAway where payload.count >= 8: Self.uint32(payload, at: 4)
        case Self.rstStream where payload.count == 4: Self.uint32(payload, at: 0)
        default: nil
        }
    }

    /// A GOAWAY's debug data as text.
    var debugText: String { type == Self.goAway ? String(decoding: payload.dropFirst(8), as: UTF8.self) : "" }

    static func uint32(_ bytes: [UInt8], at index: Int) -> UInt32 {
        bytes[index..<index + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }
}

/// A deliberately misbehaving HTTP/2 client on a blocking loopback socket: it writes exactly the
/// bytes a test gives it and reads frames back with a deadline. Blocking calls run on their own
/// thread (`RawSocketPeer.run`) so the cooperative pool stays free for the server under test.
final class RawSocketPeer {
    private let fd: Int32
    private var received: [UInt8] = []
    private var offset = 0
    /// Request HEADERS are decoded with nghttp2's HPACK inflater (stateful per connection).
    private var inflater: OpaquePointer?
    /// The server closed the connection (EOF or reset).
    private(set) var closed = false

    /// Connects to 127.0.0.1:`port`; `receiveBuffer` shrinks SO_RCVBUF (a peer that reads slowly).
    init(port: Int, receiveBuffer: Int32? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            let code = errno
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .ECONNREFUSED)
        }
        _ = nghttp2_hd_inflate_new(&inflater)
    }

    deinit {
        close(fd)
        nghttp2_hd_inflate_del(inflater)
    }

    /// Runs blocking socket work on a fresh thread.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    // MARK: Writing

    /// Writes everything; false once the server has closed (EPIPE / ECONNRESET).
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 {
                if n < 0 && errno == EINTR { continue }
                closed = true
                return false
            }
            sent += n
        }
        return true
    }

    /// The client preface and an empty SETTINGS frame (optionally ACKing the server's).
    func handshake(ackServerSettings: Bool = true) {
        send(RawFrames.preface + RawFrames.settings + (ackServerSettings ? RawFrames.settingsAck : []))
    }

    // MARK: Reading

    /// Reads frames until `stop` returns true for one of them, the server closes, or `timeout`
    /// passes; returns every frame read.
    func readFrames(timeout: Duration = .seconds(5), until stop: (RawFrame) -> Bool = { _ in false }) -> [RawFrame] {
        let deadline = ContinuousClock.now + timeout
        var frames: [RawFrame] = []
        while true {
            while let frame = nextBufferedFrame() {
                frames.append(frame)
                if stop(frame) { return frames }
            }
            guard !closed, fill(until: deadline) else { return frames }
        }
    }

    /// Reads (and discards) until the server closes; true if it did before `timeout`.
    func waitForClose(timeout: Duration = .seconds(5)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !closed {
            guard fill(until: deadline) else { break }
            received.removeAll(keepingCapacity: true)
            offset = 0
        }
        return closed
    }

    /// Decodes a HEADERS block from the server (in the order received: HPACK is stateful).
    func decodeHeaders(_ frame: RawFrame) -> [String: String] {
        var block = frame.payload
        if frame.flags & 0x8 != 0, let padding = block.first { block = Array(block.dropFirst().dropLast(Int(padding))) }
        if frame.flags & 0x20 != 0 { block = Array(block.dropFirst(5)) }
        var fields: [String: String] = [:]
        var position = 0
        while true {
            var nv = nghttp2_nv()
            var flags: Int32 = 0
            let consumed = block[position...].withUnsafeBufferPointer {
                nghttp2_hd_inflate_hd2(inflater, &nv, &flags, $0.baseAddress, $0.count, 1)
            }
            guard consumed >= 0 else { return fields }
            position += consumed
            if flags & Int32(NGHTTP2_HD_INFLATE_EMIT.rawValue) != 0 {
                fields[String(decoding: UnsafeBufferPointer(start: nv.name, count: nv.namelen), as: UTF8.self)] =
                    String(decoding: UnsafeBufferPointer(start: nv.value, count: nv.valuelen), as: UTF8.self)
            }
            if flags & Int32(NGHTTP2_HD_INFLATE_FINAL.rawValue) != 0 {
                nghttp2_hd_inflate_end_headers(inflater)
                return fields
            }
            if consumed == 0 && position >= block.count { return fields }
        }
    }

    private func nextBufferedFrame() -> RawFrame? {
        guard received.count - offset >= 9 else { return nil }
        let length = Int(received[offset]) << 16 | Int(received[offset + 1]) << 8 | Int(received[offset + 2])
        guard received.count - offset >= 9 + length else { return nil }
        let stream = RawFrame.uint32(received, at: offset + 5) & 0x7FFF_FFFF
        let frame = RawFrame(
            type: received[offset + 3], flags: received[offset + 4], stream: stream,
            payload: Array(received[offset + 9..<offset + 9 + length]))
        offset += 9 + length
        if offset > 1 << 16 {
            received.removeFirst(offset)
            offset = 0
        }
        return frame
    }

    /// One read with the remaining time as timeout; false on timeout.
    private func fill(until deadline: ContinuousClock.Instant) -> Bool {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else { return false }
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(clamping: remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1)
        guard poll(&poller, 1, milliseconds) > 0 else { return false }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 {
            closed = true
            return true
        }
        received += chunk[..<n]
        return true
    }
}

/// Request header blocks in HPACK "literal without indexing, new name" form (RFC 7541 §6.2.2),
/// no Huffman: simple to write by hand, and any HPACK decoder must accept it.
enum RawHPACK {
    static func encode(_ fields: [(String, String)]) -> [UInt8] {
        var out: [UInt8] = []
        for (name, value) in fields {
            out.append(0x00)
            appendString(name, to: &out)
            appendString(value, to: &out)
        }
        return out
    }

    static func requestHeaders(path: String, extra: [(String, String)] = []) -> [UInt8] {
        encode([
            (":method", "POST"), (":scheme", "http"), (":path", path), (":authority", "localhost"),
            ("content-type", "application/grpc"), ("te", "trailers"),
        ] + extra)
    }

    private static func appendString(_ string: String, to out: inout [UInt8]) {
        let bytes = Array(string.utf8)
        appendInteger(bytes.count, prefixBits: 7, to: &out)
        out += bytes
    }

    /// RFC 7541 §5.1 integer with an N-bit prefix (the H bit, 0, sits above it).
    private static func appendInteger(_ value: Int, prefixBits: Int, to out: inout [UInt8]) {
        let limit = (1 << prefixBits) - 1
        guard value >= limit else { return out.append(UInt8(value)) }
        out.append(UInt8(limit))
        var rest = value - limit
        while rest >= 128 {
            out.append(UInt8(rest & 0x7F | 0x80))
            rest >>= 7
        }
        out.append(UInt8(rest))
    }
}

extension RawFrames {
    static func headers(stream: UInt32, block: [UInt8], endStream: Bool = false, endHeaders: Bool = true) -> [UInt8] {
        frame(type: RawFrame.headers, flags: (endStream ? RawFrame.endStream : 0) | (endHeaders ? RawFrame.endHeaders : 0),
              stream: stream, payload: block)
    }

    static func data(stream: UInt32, _ payload: [UInt8], endStream: Bool = false) -> [UInt8] {
        frame(type: RawFrame.data, flags: endStream ? RawFrame.endStream : 0, stream: stream, payload: payload)
    }

    static func rstStream(stream: UInt32, errorCode: UInt32) -> [UInt8] {
        frame(type: RawFrame.rstStream, stream: stream, payload: bigEndian(errorCode))
    }

    /// A gRPC length-prefixed message (uncompressed) with the given payload.
    static func grpcMessage(_ payload: [UInt8]) -> [UInt8] {
        [0] + bigEndian(UInt32(payload.count)) + payload
    }
}
