import NIOCore
import RPCCore
import XCTest
@testable import Transport

/// Raw peers that break HTTP/2 on purpose: each connection must end with the right GOAWAY
/// (never a crash or a wedged server), and a normal call must work right after.
final class HostileFramesTests: XCTestCase {
    func testGarbageInsteadOfThePrefaceClosesTheConnection() async throws {
        let server = try await HostileServer.start()
        let port = server.port
        for garbage in ["GET / HTTP/1.1\r\nHost: x\r\n\r\n", String(repeating: "\u{1}", count: 64), "PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n"] {
            let closed = try await RawSocketPeer.run {
                let peer = try RawSocketPeer(port: port)
                peer.send(Array(garbage.utf8))
                return peer.waitForClose(timeout: .seconds(3))
            }
            // RFC 9113 §3.4: an invalid preface is a PROTOCOL_ERROR; the GOAWAY may be omitted.
            XCTAssertTrue(closed, "connection after \(garbage.debugDescription) still open")
        }
        try await server.assertStillServes()
        await server.stop()
    }

    func testMalformedFramesGetGoAwayWithTheRightErrorCode() async throws {
        let server = try await HostileServer.start()
        let port = server.port
        let probe = RawHPACK.requestHeaders(path: HostileServer.echoUnaryPath)
        let cases: [(name: String, bytes: [UInt8], expected: UInt32)] = [
            ("SETTINGS of 5 bytes", RawFrames.frame(type: RawFrame.settings, payload: [0, 3, 0, 0, 0]), HTTP2ErrorCode.frameSizeError),
            ("SETTINGS on stream 1", RawFrames.frame(type: RawFrame.settings, stream: 1), HTTP2ErrorCode.protocolError),
            ("ENABLE_PUSH = 2", RawFrames.frame(type: RawFrame.settings, payload: [0, 2, 0, 0, 0, 2]), HTTP2ErrorCode.protocolError),
            ("INITIAL_WINDOW_SIZE 2^31", RawFrames.frame(type: RawFrame.settings, payload: [0, 4, 0x80, 0, 0, 0]), HTTP2ErrorCode.flowControlError),
            ("PING of 7 bytes", RawFrames.frame(type: RawFrame.ping, payload: [UInt8](repeating: 0, count: 7)), HTTP2ErrorCode.frameSizeError),
            ("PING on stream 1", RawFrames.frame(type: RawFrame.ping, stream: 1, payload: [UInt8](repeating: 0, count: 8)), HTTP2ErrorCode.protocolError),
            ("DATA on stream 0", RawFrames.data(stream: 0, [1, 2, 3]), HTTP2ErrorCode.protocolError),
            ("HEADERS on stream 0", RawFrames.headers(stream: 0, block: probe), HTTP2ErrorCode.protocolError),
            ("RST_STREAM on stream 0", RawFrames.rstStream(stream: 0, errorCode: 0), HTTP2ErrorCode.protocolError),
            ("WINDOW_UPDATE of 0", RawFrames.frame(type: RawFrame.windowUpdate, payload: [0, 0, 0, 0]), HTTP2ErrorCode.protocolError),
            ("DATA on idle stream", RawFrames.data(stream: 1, RawFrames.grpcMessage([1])), HTTP2ErrorCode.protocolError),
            ("HEADERS on an even stream", RawFrames.headers(stream: 2, block: probe), HTTP2ErrorCode.protocolError),
            ("CONTINUATION without HEADERS", RawFrames.frame(type: RawFrame.continuation, flags: RawFrame.endHeaders, stream: 1, payload: probe),
             HTTP2ErrorCode.protocolError),
            ("frame longer than MAX_FRAME_SIZE", [0xFF, 0xFF, 0xFF, RawFrame.data, 0, 0, 0, 0, 1] + [UInt8](repeating: 0, count: 64),
             HTTP2ErrorCode.frameSizeError),
            ("HPACK garbage", RawFrames.headers(stream: 1, block: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF]), HTTP2ErrorCode.compressionError),
        ]
        for testCase in cases {
            let goAway = try await RawSocketPeer.run {
                let peer = try RawSocketPeer(port: port)
                peer.handshake()
                peer.send(testCase.bytes)
                let goAway = peer.goAway(timeout: .seconds(3))
                return (goAway?.errorCode, peer.waitForClose(timeout: .seconds(3)))
            }
            XCTAssertEqual(goAway.0, testCase.expected, "\(testCase.name): GOAWAY error code")
            XCTAssertTrue(goAway.1, "\(testCase.name): connection not closed after GOAWAY")
        }
        try await server.assertStillServes()
        await server.stop()
    }

    /// CVE-2023-44487: streams opened and reset at once cost the server work but no
    /// response; the reset rate limit (ServerConfiguration.streamResetRateLimit) ends it.
    func testRapidResetEndsInGoAwayAndOtherConnectionsKeepWorking() async throws {
        let server = try await HostileServer.start()
        let port = server.port
        let rssBefore = residentBytes()
        let attack = Task.detached {
            try await RawSocketPeer.run {
                let peer = try RawSocketPeer(port: port)
                peer.handshake()
                let headers = RawHPACK.requestHeaders(path: HostileServer.echoUnaryPath)
                var sent = 0
                for batch in 0..<50 {
                    var bytes: [UInt8] = []
                    for index in 0..<100 {
                        let stream = UInt32((batch * 100 + index) * 2 + 1)
                        bytes += RawFrames.headers(stream: stream, block: headers)
                            + RawFrames.rstStream(stream: stream, errorCode: HTTP2ErrorCode.cancel)
                    }
                    guard peer.send(bytes) else { break }
                    sent += 100
                }
                return (peer.goAway(timeout: .seconds(5)), sent)
            }
        }
        // Meanwhile, a well-behaved client on its own connection is served promptly.
        let channel = try GRPCChannel(target: "127.0.0.1:\(port)")
        defer { channel.close() }
        let client = EchoClient(channel: channel)
        for index in 0..<20 {
            let started = ContinuousClock.now
            let echo = try await client.unary(RawMessage("call \(index)"), options: .timeout(.seconds(5)))
            XCTAssertEqual(echo.text, "call \(index)")
            XCTAssertLessThan(ContinuousClock.now - started, .seconds(2), "a call took too long during the attack")
        }
        let (goAway, sent) = try await attack.value
        XCTAssertEqual(goAway?.errorCode, HTTP2ErrorCode.enhanceYourCalm, "after \(sent) reset streams: \(String(describing: goAway))")
        XCTAssertEqual(goAway?.debugText, "too_many_resets")
        XCTAssertLessThan(residentBytes() - rssBefore, 64 << 20, "RSS grew too much")
        try await server.assertStillServes()
        await server.stop()
    }

    /// CVE-2024-28182 (nghttp2) class: a header block that never ends, one CONTINUATION at a time.
    func testContinuationFloodClosesTheConnectionWithBoundedMemory() async throws {
        let rssBefore = residentBytes()
        let (goAway, closed) = try await HostileServer.attack { port in
            let peer = try RawSocketPeer(port: port)
            peer.handshake()
            peer.send(RawFrames.headers(stream: 1, block: RawHPACK.requestHeaders(path: HostileServer.echoUnaryPath), endHeaders: false))
            let filler = RawFrames.frame(
                type: RawFrame.continuation, stream: 1,
                payload: RawHPACK.encode([("x-filler", String(repeating: "f", count: 1000))]))
            for _ in 0..<1000 {
                guard peer.send(Array([[UInt8]](repeating: filler, count: 10).joined())) else { break }
            }
            return (peer.goAway(timeout: .seconds(3)), peer.waitForClose(timeout: .seconds(3)))
        }
        // nghttp2 allows 8 CONTINUATIONs per block, then fails the session outright
        // (NGHTTP2_ERR_TOO_MANY_CONTINUATIONS, no GOAWAY): the connection just closes.
        XCTAssertTrue(closed, "connection still open after a CONTINUATION flood")
        XCTAssertNil(goAway)
        XCTAssertLessThan(residentBytes() - rssBefore, 32 << 20, "RSS grew too much")
    }

    func testSettingsWithTooManyEntriesIsEnhanceYourCalm() async throws {
        let goAway = try await HostileServer.attack { port in
            let peer = try RawSocketPeer(port: port)
            peer.handshake()
            // 100 entries (nghttp2 accepts 32 per frame).
            let entries = (0..<100).flatMap { _ in [0, 3, 0, 0, 0, 100] as [UInt8] }
            peer.send(RawFrames.frame(type: RawFrame.settings, payload: entries))
            return peer.goAway(timeout: .seconds(3))
        }
        XCTAssertEqual(goAway?.errorCode, HTTP2ErrorCode.enhanceYourCalm)
    }

    /// CVE-2019-9515: SETTINGS sent faster than their ACKs are read. The server stops writing to
    /// a peer that does not read, so ACKs queue inside nghttp2 until its outbound-ACK limit
    /// (1000) ends the connection: memory stays bounded.
    func testSettingsFloodFromAPeerThatDoesNotReadIsClosed() async throws {
        let rssBefore = residentBytes()
        let (closed, sentMiB) = try await HostileServer.attack { port in
            let peer = try RawSocketPeer(port: port, receiveBuffer: 4096)
            peer.handshake()
            let chunk = Array([[UInt8]](repeating: RawFrames.settings, count: 10_000).joined())
            var sent = 0
            while sent < 64 << 20, peer.send(chunk) { sent += chunk.count }
            return (peer.waitForClose(timeout: .seconds(5)), sent >> 20)
        }
        XCTAssertTrue(closed, "still open after \(sentMiB) MiB of SETTINGS")
        XCTAssertLessThan(sentMiB, 63, "the flood was never cut off")
        XCTAssertLessThan(residentBytes() - rssBefore, 64 << 20, "RSS grew too much")
    }

    /// CVE-2019-9512: PINGs without calls are strikes (gRPC's ping policy) → GOAWAY
    /// ENHANCE_YOUR_CALM "too_many_pings", whether or not the peer reads the ACKs.
    func testPingFloodIsEnhanceYourCalmTooManyPings() async throws {
        let goAway = try await HostileServer.attack { port in
            let peer = try RawSocketPeer(port: port)
            peer.handshake()
            let ping = RawFrames.frame(type: RawFrame.ping, payload: [UInt8](repeating: 7, count: 8))
            peer.send(Array([[UInt8]](repeating: ping, count: 5_000).joined()))
            return peer.goAway(timeout: .seconds(3))
        }
        XCTAssertEqual(goAway?.errorCode, HTTP2ErrorCode.enhanceYourCalm)
        XCTAssertEqual(goAway?.debugText, "too_many_pings")
    }
}

final class StreamResetLimiterTests: XCTestCase {
    func testBurstThenRefillAtTheRate() {
        let start = NIODeadline.now()
        var limiter = StreamResetLimiter(burst: 3, rate: 2, now: start)
        XCTAssertEqual((0..<4).map { _ in limiter.allowReset(now: start) }, [true, true, true, false])
        // Refills per whole second, never above the burst.
        XCTAssertFalse(limiter.allowReset(now: start + .milliseconds(900)))
        XCTAssertEqual((0..<3).map { _ in limiter.allowReset(now: start + .seconds(1)) }, [true, true, false])
        XCTAssertEqual((0..<4).map { _ in limiter.allowReset(now: start + .seconds(100)) }, [true, true, true, false])
        XCTAssertEqual(StreamResetLimiter(burst: .max, rate: 33).nghttp2Backstop.burst, .max)
    }
}
