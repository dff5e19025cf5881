import RPCCore
import Transport
import XCTest

/// Our client against our server over loopback.
final class ClientServerTests: XCTestCase {
    private var server: GRPCServer!
    private var service: TestEchoService!
    private var channel: GRPCChannel!
    private var client: EchoClient!

    override func setUp() async throws {
        service = TestEchoService()
        server = GRPCServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0), services: [service])
        try await server.start()
        channel = try GRPCChannel(target: "127.0.0.1:\(server.port!)")
        client = EchoClient(channel: channel)
    }

    override func tearDown() async throws {
        channel.close()
        await server.shutdown(gracePeriod: .seconds(1))
    }

    func testEchoScenarios() async throws {
        try await EchoScenarios.runAll(client)
    }

    func testDeadlineCancelsServerHandler() async throws {
        await assertThrows(code: .deadlineExceeded) {
            _ = try await self.client.unary("sleep:5000", options: .timeout(.milliseconds(100)))
        }
        let events = service.events
        try await waitUntil { await events.events.contains("cancelled Unary") }
    }

    func testClientCancellationCancelsServerHandler() async throws {
        let client = self.client!
        let call = Task { try await client.unary("sleep:5000") }
        try await Task.sleep(for: .milliseconds(200))
        call.cancel()
        do {
            _ = try await call.value
            XCTFail("call should have been cancelled")
        } catch let error as RPCError {
            XCTAssertEqual(error.code, .cancelled)
        } catch is CancellationError {}
        let events = service.events
        try await waitUntil { await events.events.contains("cancelled Unary") }
    }

    func testServerRejectsOversizedRequest() async throws {
        await assertThrows(code: .resourceExhausted) {
            _ = try await self.client.unary(RawMessage([UInt8](repeating: 1, count: (4 << 20) + 1)))
        }
        // The connection survives: the next call works.
        let echo = try await client.unary("after")
        XCTAssertEqual(echo.text, "after")
    }

    func testClientRejectsOversizedResponse() async throws {
        await assertThrows(code: .resourceExhausted) {
            _ = try await self.client.serverStream("big:2000", options: CallOptions(maxReceiveMessageSize: 1000)) { response in
                for try await _ in response.messages {}
            }
        }
    }

    func testTrailersOnlyHasNoHeaders() async throws {
        let result = try await channel.serverStreaming(
            EchoMethods.serverStream, request: RawMessage("status:5:missing"), responseType: RawMessage.self
        ) { response in
            let headers = try await response.headers()
            do {
                for try await _ in response.messages {}
                return (headers, RPCError?.none)
            } catch let error as RPCError {
                return (headers, error)
            }
        }
        XCTAssertTrue(result.0.isEmpty)
        XCTAssertEqual(result.1?.code, .notFound)
        XCTAssertEqual(result.1?.message, "missing")
    }

    func testHandlerDeadlinePropagates() async throws {
        let propagation = DeadlineProbe(channel: channel)
        let probeServer = GRPCServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0), services: [propagation])
        try await probeServer.start()
        let probeChannel = try GRPCChannel(target: "127.0.0.1:\(probeServer.port!)")
        defer { probeChannel.close() }
        // The probe's handler calls our echo server's sleeping method with no deadline of its own:
        // it must inherit the 300 ms of its caller, not sleep for 5 s.
        let started = ContinuousClock.now
        await assertThrows(code: .deadlineExceeded) {
            _ = try await EchoClient(channel: probeChannel).unary("sleep:5000", options: .timeout(.milliseconds(300)))
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2))
        await probeServer.shutdown(gracePeriod: .seconds(1))
    }

    func testGracefulShutdownDrainsInFlightCalls() async throws {
        let client = self.client!
        let inFlight = Task { try await client.unary("sleep:500") }
        try await Task.sleep(for: .milliseconds(100))
        let started = ContinuousClock.now
        await server.shutdown(gracePeriod: .seconds(5))
        // Shutdown waited for the call, which completed normally.
        let echo = try await inFlight.value
        XCTAssertEqual(echo.text, "sleep:500")
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(4))
        // New calls find nobody listening.
        await assertThrows(code: .unavailable) { _ = try await self.client.unary("late") }
    }

    func testGracePeriodCancelsStragglers() async throws {
        let client = self.client!
        let inFlight = Task { try await client.unary("sleep:5000") }
        try await Task.sleep(for: .milliseconds(100))
        let started = ContinuousClock.now
        await server.shutdown(gracePeriod: .milliseconds(300))
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(3))
        await assertThrows(code: .unavailable) { _ = try await inFlight.value }
        let events = service.events
        try await waitUntil { await events.events.contains("cancelled Unary") }
    }
}

/// Forwards Unary to another echo server without setting a deadline (to test propagation).
struct DeadlineProbe: EchoHandler {
    let channel: GRPCChannel

    func unary(_ request: RawMessage, context: ServerContext) async throws -> RawMessage {
        try await EchoClient(channel: channel).unary(request)
    }
    func serverStream(_ request: RawMessage, writer: RPCWriter<RawMessage>, context: ServerContext) async throws {}
    func clientStream(_ requests: RPCAsyncSequence<RawMessage>, context: ServerContext) async throws -> RawMessage { RawMessage() }
    func bidi(_ requests: RPCAsyncSequence<RawMessage>, writer: RPCWriter<RawMessage>, context: ServerContext) async throws {}
}

func waitUntil(timeout: Duration = .seconds(5), _ condition: @Sendable () async -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    XCTFail("condition not met within \(timeout)")
}
