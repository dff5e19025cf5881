import NIOCore
import NIOPosix
import RPCCore
@testable import Transport
import Synchronization
import XCTest

/// Keepalive back-off, the header-list limit, max connection idle and the server's keepalive
/// timeout, over loopback sockets.
final class ConnectionLimitsTests: XCTestCase {
    func testTooManyPingsDoublesTheChannelsKeepaliveInterval() async throws {
        var serverConfiguration = ServerConfiguration(host: "127.0.0.1", port: 0)
        serverConfiguration.connectionPolicy.minPingInterval = .seconds(10)
        serverConfiguration.connectionPolicy.maxPingStrikes = 2
        let server = GRPCServer(configuration: serverConfiguration, services: [TestEchoService()])
        try await server.start()
        var channelConfiguration = ChannelConfiguration()
        channelConfiguration.keepalive = ClientKeepalive(time: .milliseconds(50), permitWithoutCalls: true)
        let channel = try GRPCChannel(target: "127.0.0.1:\(server.port!)", configuration: channelConfiguration)
        defer { channel.close() }
        let interval = try XCTUnwrap(channel.keepaliveInterval)

        // The idle connection pings every 50 ms: strikes, then GOAWAY ENHANCE_YOUR_CALM
        // "too_many_pings", and the channel now pings every 100 ms.
        _ = try await EchoClient(channel: channel).unary("first")
        try await waitUntil(timeout: .seconds(3)) { interval.current == .milliseconds(100) }
        // The next connection is still too eager for this server: 200 ms.
        _ = try await EchoClient(channel: channel).unary("second")
        try await waitUntil(timeout: .seconds(5)) { interval.current == .milliseconds(200) }
        await server.shutdown(gracePeriod: .seconds(1))
    }

    func testOversizedRequestMetadataIsResourceExhausted() async throws {
        let server = GRPCServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0), services: [TestEchoService()])
        try await server.start()
        let channel = try GRPCChannel(target: "127.0.0.1:\(server.port!)")
        defer { channel.close() }
        let client = EchoClient(channel: channel)
        var metadata = Metadata()
        metadata.add("x-big", String(repeating: "m", count: 9 << 10))
        // gRPC: metadata over the receiver's limit fails the call with RESOURCE_EXHAUSTED.
        await assertThrows(code: .resourceExhausted) {
            _ = try await client.unary("x", options: CallOptions(metadata: metadata))
        }
        // Only that call: the connection carries the next one, and metadata under the limit works.
        var fits = Metadata()
        fits.add("x-fits", String(repeating: "m", count: 6 << 10))
        let echo = try await client.unary("after", options: CallOptions(metadata: fits))
        XCTAssertEqual(echo.text, "after")
        await server.shutdown(gracePeriod: .seconds(1))
    }

    func testIdleConnectionIsClosedAndClientReconnectsOnNextCall() async throws {
        var serverConfiguration = ServerConfiguration(host: "127.0.0.1", port: 0)
        serverConfiguration.connectionPolicy.maxConnectionIdle = .milliseconds(200)
        let server = GRPCServer(configuration: serverConfiguration, services: [PeerService()])
        try await server.start()

        // The connection itself: GOAWAY, then closed, once idle for 200 ms.
        let events = ConnectionEvents()
        let connection = try await ClientConnection.connect(
            to: Endpoint(host: "127.0.0.1", port: server.port!), configuration: ChannelConfiguration(),
            connectTimeout: .seconds(5), token: ConnectionToken(),
            onGoingAway: { events.record("goaway") }, onClosed: { events.record("closed") })
        let started = ContinuousClock.now
        try await waitUntil(timeout: .seconds(3)) { events.all.contains("closed") }
        XCTAssertEqual(events.all, ["goaway", "closed"])
        XCTAssertGreaterThanOrEqual(ContinuousClock.now - started, .milliseconds(150))
        connection.close()

        // Through a channel: the call after the idle close goes over a new connection.
        let channel = try GRPCChannel(target: "127.0.0.1:\(server.port!)")
        defer { channel.close() }
        let client = EchoClient(channel: channel)
        let firstPeer = try await client.unary("peer").text
        let samePeer = try await client.unary("peer").text
        XCTAssertEqual(samePeer, firstPeer, "calls close together share a connection")
        try await Task.sleep(for: .milliseconds(600))
        let secondPeer = try await client.unary("peer").text
        XCTAssertNotEqual(secondPeer, firstPeer)
        await server.shutdown(gracePeriod: .seconds(1))
    }

    func testClientThatNeverAnswersPingsIsDropped() async throws {
        var serverConfiguration = ServerConfiguration(host: "127.0.0.1", port: 0)
        serverConfiguration.connectionPolicy.keepaliveTime = .milliseconds(100)
        serverConfiguration.connectionPolicy.keepaliveTimeout = .milliseconds(200)
        let server = GRPCServer(configuration: serverConfiguration, services: [TestEchoService()])
        try await server.start()

        // Speaks the preface and SETTINGS (acking the server's), then stays silent.
        let recorder = FrameRecorder()
        let socket = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(recorder) }
            }
            .connect(host: "127.0.0.1", port: server.port!).get()
        try await socket.writeAndFlush(ByteBuffer(bytes: RawFrames.preface + RawFrames.settings + RawFrames.settingsAck))
        let started = ContinuousClock.now
        try await waitUntil(timeout: .seconds(3)) { !socket.isActive }
        let elapsed = ContinuousClock.now - started
        XCTAssertGreaterThanOrEqual(elapsed, .milliseconds(250), "keepalive time + timeout")
        XCTAssertTrue(recorder.frameTypes.contains(0x6), "the server pinged first: \(recorder.frameTypes)")
        await server.shutdown(gracePeriod: .seconds(1))
    }
}

/// Answers a unary call with the caller's address (so tests can tell connections apart).
struct PeerService: EchoHandler {
    func unary(_ request: RawMessage, context: ServerContext) async throws -> RawMessage { RawMessage(context.peer) }
    func serverStream(_ request: RawMessage, writer: RPCWriter<RawMessage>, context: ServerContext) async throws {}
    func clientStream(_ requests: RPCAsyncSequence<RawMessage>, context: ServerContext) async throws -> RawMessage { RawMessage() }
    func bidi(_ requests: RPCAsyncSequence<RawMessage>, writer: RPCWriter<RawMessage>, context: ServerContext) async throws {}
}

final class ConnectionEvents: Sendable {
    private let events = Mutex<[String]>([])
    func record(_ event: String) { events.withLock { $0.append(event) } }
    var all: [String] { events.withLock { $0 } }
}

/// Records the types of the frames a raw peer receives.
final class FrameRecorder: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    private let received = Mutex<[UInt8]>([])

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        received.withLock { $0 += bytes }
    }

    var frameTypes: [UInt8] { RawFrames.frameTypes(in: received.withLock { $0 }, skipPreface: false) }
}
