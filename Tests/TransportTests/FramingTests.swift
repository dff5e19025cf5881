import NIOCore
import ProtoRuntime
import RPCCore
@testable import Transport
import XCTest

final class FramingTests: XCTestCase {
    private let allocator = ByteBufferAllocator()

    private func framed(_ messages: [[UInt8]]) -> [UInt8] {
        var buffer = allocator.buffer(capacity: 0)
        for message in messages {
            try! GRPCMessageFramer.write(RawMessage(message), into: &buffer)
        }
        return Array(buffer.readableBytesView)
    }

    func testDeframerAcrossEveryChunkBoundary() throws {
        let messages: [[UInt8]] = [[], [1], Array(repeating: 9, count: 300), [2, 3]]
        let wire = framed(messages)
        for chunkSize in [1, 2, 3, 4, 5, 6, 7, 64, wire.count] {
            var deframer = GRPCMessageDeframer(maxMessageSize: 1 << 20)
            var received: [[UInt8]] = []
            var offset = 0
            while offset < wire.count {
                let end = min(offset + chunkSize, wire.count)
                wire[offset..<end].withUnsafeBytes { deframer.append($0, allocator: allocator) }
                while let message = try deframer.next() {
                    XCTAssertFalse(message.compressed)
                    received.append(Array(message.payload.readableBytesView))
                }
                offset = end
            }
            XCTAssertEqual(received, messages, "chunk size \(chunkSize)")
            XCTAssertTrue(deframer.isAtMessageBoundary)
        }
    }

    func testDeframerRejectsOversizedPrefixBeforeBuffering() {
        var deframer = GRPCMessageDeframer(maxMessageSize: 4 << 20)
        // A prefix claiming 2 GiB, followed by nothing.
        ([0, 0x80, 0, 0, 0] as [UInt8]).withUnsafeBytes { deframer.append($0, allocator: allocator) }
        XCTAssertThrowsError(try deframer.next()) { error in
            XCTAssertEqual((error as? RPCError)?.code, .resourceExhausted)
        }
    }

    func testDeframerReportsPartialMessage() throws {
        var deframer = GRPCMessageDeframer(maxMessageSize: 100)
        ([0, 0, 0, 0, 10, 1, 2] as [UInt8]).withUnsafeBytes { deframer.append($0, allocator: allocator) }
        XCTAssertNil(try deframer.next())
        XCTAssertFalse(deframer.isAtMessageBoundary)
    }

    func testCompressedFlagAndRoundTrip() throws {
        let payload = RawMessage(String(repeating: "gRPC ", count: 500))
        for algorithm in [CompressionAlgorithm.gzip, .deflate] {
            var buffer = allocator.buffer(capacity: 0)
            try GRPCMessageFramer.write(payload, into: &buffer, compression: algorithm)
            XCTAssertLessThan(buffer.readableBytes, 200)
            var deframer = GRPCMessageDeframer(maxMessageSize: 1 << 20)
            deframer.append(buffer)
            let message = try XCTUnwrap(try deframer.next())
            XCTAssertTrue(message.compressed)
            let decoded = try MessageCodec.decode(
                message, as: RawMessage.self, encoding: algorithm, limit: 1 << 20, allocator: allocator)
            XCTAssertEqual(decoded, payload)
            // Without grpc-encoding the compressed flag is an error.
            XCTAssertThrowsError(try MessageCodec.decode(
                message, as: RawMessage.self, encoding: .identity, limit: 1 << 20, allocator: allocator))
            // Decompression respects the size limit (no zip bombs).
            XCTAssertThrowsError(try MessageCodec.decode(
                message, as: RawMessage.self, encoding: algorithm, limit: 100, allocator: allocator)) { error in
                XCTAssertEqual((error as? RPCError)?.code, .resourceExhausted)
            }
        }
    }

    func testCorruptCompressedDataIsInternal() {
        var garbage = allocator.buffer(capacity: 0)
        garbage.writeBytes([1, 2, 3, 4, 5, 6, 7, 8])
        XCTAssertThrowsError(try Zlib.decompress(garbage, algorithm: .gzip, limit: 100, allocator: allocator)) { error in
            XCTAssertEqual((error as? RPCError)?.code, .internal)
        }
    }

    func testSendLimit() {
        var buffer = allocator.buffer(capacity: 0)
        XCTAssertThrowsError(try GRPCMessageFramer.write(RawMessage([UInt8](repeating: 0, count: 11)), into: &buffer, maxMessageSize: 10))
    }
}

final class ProtocolEncodingTests: XCTestCase {
    func testTimeoutParsesEveryUnit() {
        XCTAssertEqual(GRPCTimeout.parse("1H"), .seconds(3600))
        XCTAssertEqual(GRPCTimeout.parse("2M"), .seconds(120))
        XCTAssertEqual(GRPCTimeout.parse("3S"), .seconds(3))
        XCTAssertEqual(GRPCTimeout.parse("4m"), .milliseconds(4))
        XCTAssertEqual(GRPCTimeout.parse("5u"), .microseconds(5))
        XCTAssertEqual(GRPCTimeout.parse("6n"), .nanoseconds(6))
        XCTAssertEqual(GRPCTimeout.parse("99999999S"), .seconds(99_999_999))
        for bad in ["", "S", "1", "123456789S", "1x", "-1S", "1.5S", " 1S"] {
            XCTAssertNil(GRPCTimeout.parse(bad), bad)
        }
    }

    func testTimeoutFormatsInEightDigitsRoundingUp() {
        XCTAssertEqual(GRPCTimeout.format(.nanoseconds(5)), "5n")
        XCTAssertEqual(GRPCTimeout.format(.milliseconds(99)), "99000000n")
        XCTAssertEqual(GRPCTimeout.format(.milliseconds(100)), "100000u")
        XCTAssertEqual(GRPCTimeout.format(.seconds(1)), "1000000u")
        XCTAssertEqual(GRPCTimeout.format(.seconds(100)), "100000m")
        XCTAssertEqual(GRPCTimeout.format(.seconds(86_400 * 365)), "31536000S")
        XCTAssertEqual(GRPCTimeout.format(.seconds(86_400 * 3650)), "5256000M")
        XCTAssertEqual(GRPCTimeout.format(.nanoseconds(100_000_001)), "100001u")  // rounded up
        XCTAssertEqual(GRPCTimeout.format(.zero), "1n")
        XCTAssertEqual(GRPCTimeout.format(.seconds(-3)), "1n")
        for duration: Duration in [.nanoseconds(1), .milliseconds(1234), .seconds(7), .seconds(1_000_000_000)] {
            let text = GRPCTimeout.format(duration)
            XCTAssertLessThanOrEqual(text.count, 9, text)
            XCTAssertGreaterThanOrEqual(GRPCTimeout.parse(text)!, min(duration, .seconds(99_999_999 * 3600)), text)
        }
    }

    func testPercentEncoding() {
        XCTAssertEqual(PercentEncoding.encode("plain text"), "plain text")
        XCTAssertEqual(PercentEncoding.encode("50%"), "50%25")
        XCTAssertEqual(PercentEncoding.encode("a\tb\n"), "a%09b%0A")
        XCTAssertEqual(PercentEncoding.encode("\u{263A}"), "%E2%98%BA")
        let special = "\t\ntest with whitespace\r\nand Unicode BMP \u{263A} and non-BMP \u{1F608}\t\n"
        XCTAssertEqual(PercentEncoding.decode(PercentEncoding.encode(special)), special)
        // Lenient decoding: malformed escapes are kept.
        XCTAssertEqual(PercentEncoding.decode("100%"), "100%")
        XCTAssertEqual(PercentEncoding.decode("%zz%4"), "%zz%4")
    }

    func testBase64PaddedUnpaddedAndLists() {
        XCTAssertEqual(BinaryHeaderValue.encode([0xAB, 0xAB, 0xAB]), "q6ur")
        XCTAssertEqual(BinaryHeaderValue.encode([0xFF]), "/w")
        XCTAssertEqual(Base64.encode([0xFF]), "/w==")
        XCTAssertEqual(Base64.decode("/w=="), [0xFF])
        XCTAssertEqual(Base64.decode("/w"), [0xFF])
        XCTAssertEqual(Base64.decode(""), [])
        XCTAssertNil(Base64.decode("a"))
        XCTAssertNil(Base64.decode("ab!d"))
        XCTAssertEqual(BinaryHeaderValue.decodeList("AQ==,Ag, Aw"), [[1], [2], [3]])
        for length in 0..<20 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37) }
            XCTAssertEqual(Base64.decode(Base64.encode(bytes, padded: false)), bytes)
            XCTAssertEqual(Base64.decode(Base64.encode(bytes)), bytes)
        }
    }

    func testMetadataHeaderCoding() {
        var metadata = Metadata()
        metadata.add("X-Custom", "Value")
        metadata.add("x-bytes-bin", binary: [0, 1, 2])
        metadata.add("grpc-status", "0")          // reserved: never sent as user metadata
        metadata.add("content-type", "text/html")  // reserved
        metadata.add("x-bad", "line\nbreak")       // not printable ASCII: dropped
        var block = HeaderBlock()
        MetadataCoding.append(metadata, to: &block)
        XCTAssertEqual(block.count, 2)

        var received = Metadata()
        MetadataCoding.appendReceived(name: "x-multi-bin", value: "AAE=,AgM", to: &received)
        MetadataCoding.appendReceived(name: "x-text", value: "hello", to: &received)
        XCTAssertEqual(received[binaryValues: "x-multi-bin"], [[0, 1], [2, 3]])
        XCTAssertEqual(received.first("x-text"), "hello")
    }

    func testHTTPStatusMapping() {
        XCTAssertEqual(HTTPStatusMapping.statusCode(forHTTPStatus: 400), .internal)
        XCTAssertEqual(HTTPStatusMapping.statusCode(forHTTPStatus: 401), .unauthenticated)
        XCTAssertEqual(HTTPStatusMapping.statusCode(forHTTPStatus: 403), .permissionDenied)
        XCTAssertEqual(HTTPStatusMapping.statusCode(forHTTPStatus: 404), .unimplemented)
        for status in [429, 502, 503, 504] { XCTAssertEqual(HTTPStatusMapping.statusCode(forHTTPStatus: status), .unavailable) }
        XCTAssertEqual(HTTPStatusMapping.statusCode(forHTTPStatus: 500), .unknown)
    }

    func testContentTypes() {
        XCTAssertTrue(GRPCHeaders.isGRPCContentType("application/grpc"))
        XCTAssertTrue(GRPCHeaders.isGRPCContentType("application/grpc+proto"))
        XCTAssertTrue(GRPCHeaders.isGRPCContentType("application/grpc;charset=utf-8"))
        XCTAssertFalse(GRPCHeaders.isGRPCContentType("application/grpcx"))
        XCTAssertFalse(GRPCHeaders.isGRPCContentType("application/json"))
        XCTAssertFalse(GRPCHeaders.isGRPCContentType(nil))
    }

    func testEndpointParsing() {
        XCTAssertEqual(Endpoint("localhost:50051"), Endpoint(host: "localhost", port: 50051))
        XCTAssertEqual(Endpoint("[::1]:80"), Endpoint(host: "::1", port: 80))
        XCTAssertNil(Endpoint("nohost"))
    }

    func testConnectionBackoffSequence() {
        var backoff = ConnectionBackoffState(policy: ConnectionBackoff())
        let expected: [Double] = [1, 1.6, 2.56, 4.096, 6.5536]
        for base in expected {
            let delay = backoff.next().seconds
            XCTAssertGreaterThanOrEqual(delay, base * 0.8 - 1e-9)
            XCTAssertLessThanOrEqual(delay, base * 1.2 + 1e-9)
        }
        for _ in 0..<30 { _ = backoff.next() }
        XCTAssertLessThanOrEqual(backoff.next().seconds, 120 * 1.2)
        XCTAssertGreaterThanOrEqual(backoff.next().seconds, 120 * 0.8)
    }
}
