import FuzzSupport
import NIOCore
import ProtoRuntime
import RPCCore
import Synchronization
import XCTest
@testable import Transport

/// Seeded fuzzing of the transport's parsers of peer-controlled input: gRPC length-prefixed
/// framing, `grpc-timeout`, `-bin` metadata (base64) and `grpc-message` (percent-encoding).
/// Each checks a property against a simple reference, not only "no crash".
final class ParserFuzzTests: XCTestCase {
    private let allocator = ByteBufferAllocator()
    private let iterations = 3_000

    func testDeframerOnRandomBytesAndRandomChunking() throws {
        var generator = SplitMix64(seed: 0xF4A3_E001)
        for _ in 0..<iterations {
            // A few valid messages, maybe followed by hostile bytes, cut at random points.
            let messages = (0..<Int(generator.next() % 4)).map { _ in generator.bytes(maxCount: 300) }
            var wire = messages.flatMap { RawFrames.grpcMessage($0) }
            let hostile = generator.next() % 2 == 0
            if hostile { wire += generator.bytes(maxCount: 40) }
            let limit = 256
            var deframer = GRPCMessageDeframer(maxMessageSize: limit)
            var received: [[UInt8]] = []
            var refused = false
            var offset = 0
            while offset < wire.count, !refused {
                let end = min(wire.count, offset + 1 + Int(generator.next() % 64))
                wire[offset..<end].withUnsafeBytes { deframer.append($0, allocator: allocator) }
                offset = end
                do {
                    while let message = try deframer.next() {
                        XCTAssertLessThanOrEqual(message.payload.readableBytes, limit)
                        received.append(Array(message.payload.readableBytesView))
                    }
                } catch {
                    XCTAssertEqual(error.code, .resourceExhausted)
                    refused = true
                }
            }
            // Valid messages under the limit come out intact, in order, whatever the chunking.
            let underLimit = Array(messages.prefix { $0.count <= limit })
            XCTAssertEqual(Array(received.prefix(underLimit.count)), underLimit)
            if !hostile && underLimit.count == messages.count {
                XCTAssertEqual(received, messages)
                XCTAssertTrue(deframer.isAtMessageBoundary)
            }
        }
    }

    func testGRPCTimeoutAgainstItsGrammar() {
        var generator = SplitMix64(seed: 0x71_3E0)
        let alphabet = Array("0123456789HMSmun -x+.".utf8)
        for _ in 0..<iterations * 5 {
            let value = String(decoding: (0..<Int(generator.next() % 12)).map { _ in generator.pick(alphabet) }, as: UTF8.self)
            // grpc-timeout → TimeoutValue TimeoutUnit; TimeoutValue → {positive integer as ASCII string of at most 8 digits}
            let digits = value.dropLast()
            let valid = (1...8).contains(digits.count) && digits.allSatisfy(\.isASCIIDigitCharacter)
                && value.last.map { "HMSmun".contains($0) } == true
            XCTAssertEqual(GRPCTimeout.parse(value) != nil, valid, "grpc-timeout \(value.debugDescription)")
        }
        for _ in 0..<iterations {
            // What we send parses back to at least the deadline we meant (never shorter).
            let duration = Duration.nanoseconds(Int64(generator.next() % (1 << 50)))
            let parsed = GRPCTimeout.parse(GRPCTimeout.format(duration))
            XCTAssertNotNil(parsed)
            XCTAssertGreaterThanOrEqual(parsed ?? .zero, duration)
        }
    }

    func testBinaryMetadataValues() {
        var generator = SplitMix64(seed: 0xB1_4A2)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=, !%\u{7F}".utf8)
        for _ in 0..<iterations {
            // Round trip: several values, encoded as we send them, decode back exactly.
            let values = (0..<Int(generator.next() % 4 + 1)).map { _ in generator.bytes(maxCount: 40) }
            let header = values.map { BinaryHeaderValue.encode($0) }.joined(separator: ", ")
            XCTAssertEqual(BinaryHeaderValue.decodeList(header), values, header)
            // Junk: decodes or is rejected; what decodes, re-encodes to something that decodes the same.
            let junk = String(decoding: (0..<Int(generator.next() % 24)).map { _ in generator.pick(alphabet) }, as: UTF8.self)
            if let decoded = BinaryHeaderValue.decodeList(junk) {
                let again = decoded.map { BinaryHeaderValue.encode($0) }.joined(separator: ",")
                XCTAssertEqual(BinaryHeaderValue.decodeList(again), decoded, junk)
            }
            var metadata = Metadata()
            MetadataCoding.appendReceived(name: "x-fuzz-bin", value: junk, to: &metadata)
            MetadataCoding.appendReceived(name: "x-fuzz", value: junk, to: &metadata)
            XCTAssertEqual(metadata.first("x-fuzz"), junk)
        }
    }

    func testGRPCMessagePercentEncoding() {
        var generator = SplitMix64(seed: 0x9E_4C3)
        let pieces = ["a", "%", "%4", "%41", "%zz", "\u{263A}", "\u{1F608}", "\n", "\t", " ", "~", "%E2%98", "\u{0}"]
        for _ in 0..<iterations {
            let text = (0..<Int(generator.next() % 10)).map { _ in generator.pick(pieces) }.joined()
            let encoded = PercentEncoding.encode(text)
            XCTAssertTrue(encoded.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E }, "not header-safe: \(encoded.debugDescription)")
            XCTAssertEqual(PercentEncoding.decode(encoded), text)
            _ = PercentEncoding.decode(text)  // lenient on whatever a peer sends
        }
    }

    /// The receive limit is enforced before protobuf-c sees a byte: an oversized payload is
    /// RESOURCE_EXHAUSTED and the message decoder is never called (compressed or not).
    func testOversizedPayloadIsRefusedBeforeDecoding() throws {
        DecodeCountingMessage.decodes.store(0, ordering: .relaxed)
        let payload = ByteBuffer(bytes: [UInt8](repeating: 0x08, count: 2_000))
        var compressed = allocator.buffer(capacity: 0)
        _ = try Zlib.compress(payload, algorithm: .gzip, into: &compressed)
        for (message, encoding) in [
            (FramedMessage(compressed: false, payload: payload), CompressionAlgorithm.identity),
            (FramedMessage(compressed: true, payload: compressed), .gzip),
        ] {
            XCTAssertThrowsError(try MessageCodec.decode(
                message, as: DecodeCountingMessage.self, encoding: encoding, limit: 1_000, allocator: allocator)) { error in
                XCTAssertEqual((error as? RPCError)?.code, .resourceExhausted)
            }
        }
        XCTAssertEqual(DecodeCountingMessage.decodes.load(ordering: .relaxed), 0)
        // At the limit it is decoded.
        _ = try MessageCodec.decode(
            FramedMessage(compressed: false, payload: payload), as: DecodeCountingMessage.self, encoding: .identity,
            limit: 2_000, allocator: allocator)
        XCTAssertEqual(DecodeCountingMessage.decodes.load(ordering: .relaxed), 1)
    }

}

/// A message that counts how often it is decoded (to prove the size check comes first).
struct DecodeCountingMessage: ProtoMessage {
    static let decodes = Atomic<Int>(0)
    static var protoMessageName: String { "test.DecodeCounting" }
    init() {}
    init(protobufBytes bytes: UnsafeRawBufferPointer) throws { Self.decodes.add(1, ordering: .relaxed) }
    func withProtobufEncoder<R>(_ body: (Int, (UnsafeMutableRawBufferPointer) -> Void) throws -> R) rethrows -> R {
        try body(0) { _ in }
    }
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { ("0"..."9").contains(self) }
}
