import RPCCore
import GRPCTesting
import FuzzSupport
import XCTest
@testable import Transport

/// Well-formed HTTP/2 carrying hostile gRPC messages: each call ends with the right gRPC
/// status, the connection and the server stay usable.
final class HostileMessagesTests: XCTestCase {
    func testLengthPrefixClaiming2GiBIsResourceExhaustedWithoutAllocating() async throws {
        let rssBefore = residentBytes()
        let outcomes = try await HostileServer.attack { port in
            let peer = try RawSocketPeer(port: port)
            peer.handshake()
            var outcomes: [StreamOutcome] = []
            // The prefix alone, stream left open: the server must not wait for 2 GiB.
            for (stream, path) in [(1, HostileServer.probePath), (3, HostileServer.echoClientStreamPath)] as [(UInt32, String)] {
                peer.call(stream: stream, path: path, body: [0, 0x80, 0, 0, 0, 1, 2, 3], endStream: false)
                outcomes.append(peer.outcome(of: stream))
            }
            // The same connection still serves a valid call.
            peer.call(stream: 5, path: HostileServer.echoUnaryPath, body: RawFrames.grpcMessage(Array("ok".utf8)))
            outcomes.append(peer.outcome(of: 5))
            return outcomes
        }
        XCTAssertEqual(outcomes, [.status(8), .status(8), .status(0)])  // RESOURCE_EXHAUSTED, then OK
        XCTAssertLessThan(residentBytes() - rssBefore, 64 << 20)
    }

    /// A whole message over maxReceiveMessageSize is refused from its prefix: the decoder
    /// (protobuf-c for generated types) never runs on it.
    func testMessageOverTheReceiveLimitIsRefusedWithoutDecoding() async throws {
        let decodesBefore = DecodeCountingMessage.decodes.load(ordering: .relaxed)
        let outcomes = try await HostileServer.attack({ $0.maxReceiveMessageSize = 1_024 }) { port in
            let peer = try RawSocketPeer(port: port)
            peer.handshake()
            peer.call(stream: 1, path: HostileServer.countedPath, body: RawFrames.grpcMessage([UInt8](repeating: 8, count: 1_025)))
            peer.call(stream: 3, path: HostileServer.countedPath, body: RawFrames.grpcMessage([UInt8](repeating: 8, count: 1_024)))
            return [peer.outcome(of: 1), peer.outcome(of: 3)]
        }
        XCTAssertEqual(outcomes, [.status(8), .status(0)])  // RESOURCE_EXHAUSTED; at the limit, OK
        XCTAssertEqual(DecodeCountingMessage.decodes.load(ordering: .relaxed) - decodesBefore, 1, "only the message at the limit is decoded")
    }

    func testStreamEndingInsideAMessageIsInternal() async throws {
        let outcomes = try await HostileServer.attack { port in
            let peer = try RawSocketPeer(port: port)
            peer.handshake()
            let bodies: [[UInt8]] = [
                [0, 0, 0, 0, 10, 1, 2, 3],  // 3 of 10 payload bytes
                [0, 0, 0],                   // inside the prefix
                RawFrames.grpcMessage([0x08, 0x01]) + [0, 0, 0, 0, 4, 0x08],  // a whole message, then half of one
            ]
            var outcomes: [StreamOutcome] = []
            for body in bodies {
                for path in [HostileServer.probePath, HostileServer.echoClientStreamPath] {
                    let stream = UInt32(outcomes.count * 2 + 1)
                    peer.call(stream: stream, path: path, body: body, endStream: true)
                    outcomes.append(peer.outcome(of: stream))
                }
            }
            return outcomes
        }
        XCTAssertEqual(outcomes, [StreamOutcome](repeating: .status(13), count: 6))  // INTERNAL
    }

    func testRandomBytesAsAProtobufMessageAreInternalAndTheServerIsFine() async throws {
        // Seeded random payloads that protobuf-c rejects (checked here, where the decoder is
        // called directly), sent as the request of a real protobuf method.
        var generator = SplitMix64(seed: 0xBAD_B17E5)
        var payloads: [[UInt8]] = []
        while payloads.count < 40 {
            let bytes = [UInt8(truncatingIfNeeded: generator.next())] + generator.bytes(maxCount: 199)
            if (try? SimpleRequest(protobufBytes: bytes)) == nil { payloads.append(bytes) }
        }
        let rejected = payloads
        let outcomes = try await HostileServer.attack { port in
            let peer = try RawSocketPeer(port: port)
            peer.handshake()
            return rejected.enumerated().map { index, payload in
                let stream = UInt32(index * 2 + 1)
                peer.call(stream: stream, path: HostileServer.probePath, body: RawFrames.grpcMessage(payload))
                return peer.outcome(of: stream)
            }
        }
        XCTAssertEqual(outcomes, [StreamOutcome](repeating: .status(13), count: payloads.count))  // INTERNAL
    }
}
