import NIOCore
import RPCCore
@testable import Transport
import Synchronization
import XCTest

/// Client channel policies (retries, pushback, load balancing, reconnect) and protocol edges
/// that need a hand-made request, all over real loopback sockets.
final class ChannelPolicyTests: XCTestCase {
    func testNonGRPCContentTypeGets415AndClientSynthesisesStatus() async throws {
        let server = GRPCServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0), services: [TestEchoService()])
        try await server.start()
        let connection = try await ClientConnection.connect(
            to: Endpoint(host: "127.0.0.1", port: server.port!), configuration: ChannelConfiguration(),
            connectTimeout: .seconds(5), token: ConnectionToken(), onGoingAway: {}, onClosed: {})
        let io = connection.makeStream(maxReceiveMessageSize: 1 << 20, deadline: .distantFuture)
        var headers = HeaderBlock()
        headers.add(":method", "POST")
        headers.add(":scheme", "http")
        headers.add(":path", EchoMethods.unary.path)
        headers.add(":authority", "localhost")
        headers.add("content-type", "application/json")
        io.open(headers: headers, firstMessage: nil, endRequests: true)
        guard case .ended(let outcome) = try await io.start.get() else { return XCTFail("expected an immediate end") }
        // No grpc-status in a plain HTTP 415: the client maps the HTTP status (→ UNKNOWN).
        XCTAssertEqual(outcome.status.code, .unknown)
        XCTAssertTrue(outcome.status.message.contains("415"), outcome.status.message)
        connection.close()
        await server.shutdown(gracePeriod: .seconds(1))
    }

    func testRetriesHonourPolicyAndPushback() async throws {
        let flaky = FlakyService(failures: 2, pushbackMilliseconds: 50)
        let server = GRPCServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0), services: [flaky])
        try await server.start()
        let channel = try GRPCChannel(target: "127.0.0.1:\(server.port!)")
        defer { channel.close() }
        let client = EchoClient(channel: channel)

        // Not marked retryable: the first UNAVAILABLE is final.
        await assertThrows(code: .unavailable) { _ = try await client.unary("x") }
        flaky.reset(failures: 2)
        // Retryable: two failures, then success; pushback of 50 ms each time.
        let started = ContinuousClock.now
        let echo = try await client.unary("x", options: CallOptions(retryable: true))
        XCTAssertEqual(echo.text, "x")
        XCTAssertEqual(flaky.calls, 3)
        XCTAssertGreaterThanOrEqual(ContinuousClock.now - started, .milliseconds(100))
        // A negative pushback means "do not retry".
        flaky.reset(failures: 5, pushbackMilliseconds: -1)
        await assertThrows(code: .unavailable) { _ = try await client.unary("x", options: CallOptions(retryable: true)) }
        XCTAssertEqual(flaky.calls, 1)
        await server.shutdown(gracePeriod: .seconds(1))
    }

    func testRoundRobinSpreadsCallsOverEndpoints() async throws {
        let first = GRPCServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0), services: [NamedService(name: "a")])
        let second = GRPCServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0), services: [NamedService(name: "b")])
        try await first.start()
        try await second.start()
        var configuration = ChannelConfiguration()
        configuration.loadBalancing = .roundRobin
        let channel = try GRPCChannel(target: "127.0.0.1:\(first.port!),127.0.0.1:\(second.port!)", configuration: configuration)
        defer { channel.close() }
        var seen: [String: Int] = [:]
        for _ in 0..<10 {
            seen[try await EchoClient(channel: channel).unary("who").text, default: 0] += 1
        }
        XCTAssertEqual(seen["a"], 5, "\(seen)")
        XCTAssertEqual(seen["b"], 5, "\(seen)")

        // Pick-first sticks to the first endpoint while it works, then fails over.
        let pickFirst = try GRPCChannel(target: "127.0.0.1:\(first.port!),127.0.0.1:\(second.port!)")
        defer { pickFirst.close() }
        for _ in 0..<3 {
            let name = try await EchoClient(channel: pickFirst).unary("who").text
            XCTAssertEqual(name, "a")
        }
        await first.shutdown(gracePeriod: .seconds(1))
        let failover = try await EchoClient(channel: pickFirst).unary("who").text
        XCTAssertEqual(failover, "b")
        await second.shutdown(gracePeriod: .seconds(1))
    }

    func testFailFastThenWaitForReadyReconnectsWithBackoff() async throws {
        // Find a free port, then leave it closed.
        let probe = GRPCServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0), services: [NamedService(name: "late")])
        try await probe.start()
        let port = probe.port!
        await probe.shutdown(gracePeriod: .zero)

        let channel = try GRPCChannel(target: "127.0.0.1:\(port)")
        defer { channel.close() }
        let client = EchoClient(channel: channel)
        await assertThrows(code: .unavailable) { _ = try await client.unary("x") }
        // In backoff, a fail-fast call fails immediately.
        let started = ContinuousClock.now
        await assertThrows(code: .unavailable) { _ = try await client.unary("x") }
        XCTAssertLessThan(ContinuousClock.now - started, .milliseconds(500))

        // A wait-for-ready call waits out the backoff and succeeds once the server is up.
        let server = GRPCServer(configuration: ServerConfiguration(host: "127.0.0.1", port: port), services: [NamedService(name: "late")])
        try await server.start()
        let echo = try await client.unary("x", options: CallOptions(deadline: .after(.seconds(5)), waitForReady: true))
        XCTAssertEqual(echo.text, "late")
        await server.shutdown(gracePeriod: .seconds(1))
    }

    func testInterceptorsSeeCallsAndCanReject() async throws {
        let log = CallLog()
        var serverConfiguration = ServerConfiguration(host: "127.0.0.1", port: 0)
        serverConfiguration.interceptors = [AuthInterceptor(log: log)]
        let server = GRPCServer(configuration: serverConfiguration, services: [TestEchoService()])
        try await server.start()
        var channelConfiguration = ChannelConfiguration()
        channelConfiguration.interceptors = [TokenInterceptor(token: "secret")]
        let authorised = try GRPCChannel(target: "127.0.0.1:\(server.port!)", configuration: channelConfiguration)
        let anonymous = try GRPCChannel(target: "127.0.0.1:\(server.port!)")
        defer { authorised.close(); anonymous.close() }
        let greeting = try await EchoClient(channel: authorised).unary("hi").text
        XCTAssertEqual(greeting, "hi")
        await assertThrows(code: .unauthenticated) { _ = try await EchoClient(channel: anonymous).unary("hi") }
        XCTAssertEqual(log.entries, ["/echo.Echo/Unary ok", "/echo.Echo/Unary rejected"])
        await server.shutdown(gracePeriod: .seconds(1))
    }
}

/// Fails the first `failures` unary calls with UNAVAILABLE (+ pushback), then echoes.
final class FlakyService: EchoHandler, Sendable {
    private struct State { var failures: Int; var pushback: Int; var calls = 0 }
    private let state: Mutex<State>

    init(failures: Int, pushbackMilliseconds: Int) {
        state = Mutex(State(failures: failures, pushback: pushbackMilliseconds))
    }

    func reset(failures: Int, pushbackMilliseconds: Int? = nil) {
        state.withLock { $0 = State(failures: failures, pushback: pushbackMilliseconds ?? $0.pushback) }
    }

    var calls: Int { state.withLock { $0.calls } }

    func unary(_ request: RawMessage, context: ServerContext) async throws -> RawMessage {
        let (fail, pushback) = state.withLock { state in
            state.calls += 1
            defer { state.failures -= 1 }
            return (state.failures > 0, state.pushback)
        }
        guard !fail else {
            var trailers = Metadata()
            trailers.add("grpc-retry-pushback-ms", String(pushback))
            throw RPCError(code: .unavailable, message: "try again", metadata: trailers)
        }
        return request
    }
    func serverStream(_ request: RawMessage, writer: RPCWriter<RawMessage>, context: ServerContext) async throws {}
    func clientStream(_ requests: RPCAsyncSequence<RawMessage>, context: ServerContext) async throws -> RawMessage { RawMessage() }
    func bidi(_ requests: RPCAsyncSequence<RawMessage>, writer: RPCWriter<RawMessage>, context: ServerContext) async throws {}
}

/// Answers every unary call with its name.
struct NamedService: EchoHandler {
    let name: String
    func unary(_ request: RawMessage, context: ServerContext) async throws -> RawMessage { RawMessage(name) }
    func serverStream(_ request: RawMessage, writer: RPCWriter<RawMessage>, context: ServerContext) async throws {}
    func clientStream(_ requests: RPCAsyncSequence<RawMessage>, context: ServerContext) async throws -> RawMessage { RawMessage() }
    func bidi(_ requests: RPCAsyncSequence<RawMessage>, writer: RPCWriter<RawMessage>, context: ServerContext) async throws {}
}

final class CallLog: Sendable {
    private let storage = Mutex<[String]>([])
    func append(_ entry: String) { storage.withLock { $0.append(entry) } }
    var entries: [String] { storage.withLock { $0 } }
}

struct AuthInterceptor: ServerInterceptor {
    let log: CallLog

    func intercept(context: ServerContext, next: () async throws -> Void) async throws {
        guard context.requestMetadata.first("authorization") == "Bearer secret" else {
            log.append("\(context.method.path) rejected")
            throw RPCError(code: .unauthenticated, message: "missing or bad token")
        }
        try await next()
        log.append("\(context.method.path) ok")
    }
}

struct TokenInterceptor: ClientInterceptor {
    let token: String

    func intercept<Result: Sendable>(
        method: MethodDescriptor, options: CallOptions, next: (CallOptions) async throws -> Result
    ) async throws -> Result {
        var options = options
        options.metadata.add("authorization", "Bearer \(token)")
        return try await next(options)
    }
}
