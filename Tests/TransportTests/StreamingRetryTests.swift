import NIOCore
import NIOPosix
import RPCCore
@testable import Transport
import Synchronization
import XCTest

/// Retries of client-streaming and bidi calls (gRFC A6): replay of buffered requests on a new
/// attempt, the buffer limit that commits a call, and transparent retry of attempts the
/// server never saw — all over loopback sockets.
final class StreamingRetryTests: XCTestCase {
    private func fastRetries() -> ChannelConfiguration {
        var configuration = ChannelConfiguration()
        configuration.retryPolicy = RetryPolicy(maxAttempts: 4, initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(50))
        return configuration
    }

    func testClientStreamingCallIsRetriedWithItsRequestsReplayed() async throws {
        let service = StreamFlakyService(failures: 2)
        let server = GRPCServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0), services: [service])
        try await server.start()
        let channel = try GRPCChannel(target: "127.0.0.1:\(server.port!)", configuration: fastRetries())
        defer { channel.close() }
        let client = EchoClient(channel: channel)

        let joined = try await client.clientStream(options: CallOptions(retryable: true)) { writer in
            for part in ["a", "bc", "d"] { try await writer.write(RawMessage(part)) }
        }
        XCTAssertEqual(joined.text, "abcd")
        // Every attempt saw the whole request stream, in order.
        XCTAssertEqual(service.attempts, [["a", "bc", "d"], ["a", "bc", "d"], ["a", "bc", "d"]])

        // Not marked retryable: the first failure is final.
        service.reset(failures: 1)
        await assertThrows(code: .unavailable) {
            _ = try await client.clientStream { writer in try await writer.write(RawMessage("x")) }
        }
        XCTAssertEqual(service.attempts.count, 1)
        await server.shutdown(gracePeriod: .seconds(1))
    }

    func testBidiCallFailingBeforeAnyResponseIsRetried() async throws {
        let service = StreamFlakyService(failures: 1)
        let server = GRPCServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0), services: [service])
        try await server.start()
        let channel = try GRPCChannel(target: "127.0.0.1:\(server.port!)", configuration: fastRetries())
        defer { channel.close() }

        // All twenty requests are replayed on the second attempt: nothing lost or doubled.
        let echoed = try await EchoClient(channel: channel).bidi(options: CallOptions(retryable: true), requests: { writer in
            for index in 0..<20 { try await writer.write(RawMessage("m\(index)")) }
        }, onResponse: { response in
            var texts: [String] = []
            for try await message in response.messages { texts.append(message.text) }
            return texts
        })
        XCTAssertEqual(echoed, (0..<20).map { "m\($0)" })
        XCTAssertEqual(service.attempts.count, 2)
        await server.shutdown(gracePeriod: .seconds(1))
    }

    func testCallPastTheBufferLimitIsCommittedAndNotRetried() async throws {
        let service = StreamFlakyService(failures: 1)
        let server = GRPCServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0), services: [service])
        try await server.start()
        var configuration = fastRetries()
        configuration.retryBufferSize = 1 << 10
        let channel = try GRPCChannel(target: "127.0.0.1:\(server.port!)", configuration: configuration)
        defer { channel.close() }
        await assertThrows(code: .unavailable) {
            _ = try await EchoClient(channel: channel).clientStream(options: CallOptions(retryable: true)) { writer in
                for _ in 0..<4 { try await writer.write(RawMessage([UInt8](repeating: 1, count: 600))) }
            }
        }
        XCTAssertEqual(service.attempts.count, 1)
        await server.shutdown(gracePeriod: .seconds(1))
    }

    func testRetryableStreamPastTheBufferLimitStillSucceeds() async throws {
        // 3 MiB through a retryable call whose buffer limit is the default 256 KiB: past the
        // limit it commits and streams under flow control instead of remembering everything.
        let server = GRPCServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0), services: [TestEchoService()])
        try await server.start()
        let channel = try GRPCChannel(target: "127.0.0.1:\(server.port!)", configuration: fastRetries())
        defer { channel.close() }
        let chunk = RawMessage([UInt8](repeating: 2, count: 64 << 10))
        let joined = try await EchoClient(channel: channel).clientStream(options: CallOptions(retryable: true)) { writer in
            for _ in 0..<48 { try await writer.write(chunk) }
        }
        XCTAssertEqual(joined.bytes.count, 48 * (64 << 10))
        await server.shutdown(gracePeriod: .seconds(1))
    }

    func testRetryableProducerStillSuspendsUnderFlowControl() async throws {
        // The server never reads: a retryable call's writes must stall after the windows and
        // queues fill (a few MiB), not run ahead into a buffer.
        let server = GRPCServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0), services: [StallService()])
        try await server.start()
        let channel = try GRPCChannel(target: "127.0.0.1:\(server.port!)", configuration: fastRetries())
        defer { channel.close() }
        let written = Atomic<Int>(0)
        let call = Task {
            try await EchoClient(channel: channel).clientStream(options: CallOptions(retryable: true)) { writer in
                let chunk = RawMessage([UInt8](repeating: 3, count: 64 << 10))
                for _ in 0..<1024 {
                    try await writer.write(chunk)
                    written.add(64 << 10, ordering: .relaxed)
                }
            }
        }
        try await Task.sleep(for: .milliseconds(500))
        let stalledAt = written.load(ordering: .relaxed)
        try await Task.sleep(for: .milliseconds(300))
        XCTAssertEqual(written.load(ordering: .relaxed), stalledAt, "the producer kept writing")
        XCTAssertLessThan(stalledAt, 8 << 20)
        XCTAssertGreaterThan(stalledAt, 256 << 10, "past the retry buffer: committed and flowing")
        call.cancel()
        _ = try? await call.value
        await server.shutdown(gracePeriod: .seconds(1))
    }

    func testStreamsRefusedByGoAwayAreRetriedTransparently() async throws {
        // The first endpoint accepts one connection and answers the first request with
        // GOAWAY(last-stream-id 0): the server never saw the stream. The call is not marked
        // retryable, yet it is replayed on the second endpoint.
        let refuser = try await GoAwayOnceServer.start()
        let server = GRPCServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0), services: [TestEchoService()])
        try await server.start()
        let channel = try GRPCChannel(target: "127.0.0.1:\(refuser.port),127.0.0.1:\(server.port!)")
        defer { channel.close() }
        let echoed = try await EchoClient(channel: channel).bidi(requests: { writer in
            for part in ["x", "y", "z"] { try await writer.write(RawMessage(part)) }
        }, onResponse: { response in
            var texts: [String] = []
            for try await message in response.messages { texts.append(message.text) }
            return texts
        })
        XCTAssertEqual(echoed, ["x", "y", "z"])
        XCTAssertEqual(refuser.requestsSeen, 1)
        try await refuser.close()
        await server.shutdown(gracePeriod: .seconds(1))
    }
}

/// Holds client-streaming calls open without reading their requests.
struct StallService: EchoHandler {
    func unary(_ request: RawMessage, context: ServerContext) async throws -> RawMessage { request }
    func serverStream(_ request: RawMessage, writer: RPCWriter<RawMessage>, context: ServerContext) async throws {}
    func clientStream(_ requests: RPCAsyncSequence<RawMessage>, context: ServerContext) async throws -> RawMessage {
        try await Task.sleep(for: .seconds(10))
        return RawMessage()
    }
    func bidi(_ requests: RPCAsyncSequence<RawMessage>, writer: RPCWriter<RawMessage>, context: ServerContext) async throws {}
}

/// Fails the first `failures` client-streaming / bidi calls with UNAVAILABLE after reading
/// all their requests (before any response, so the client may retry); records each call's
/// requests.
final class StreamFlakyService: EchoHandler, Sendable {
    private struct State { var failures: Int; var attempts: [[String]] = [] }
    private let state: Mutex<State>

    init(failures: Int) { state = Mutex(State(failures: failures)) }

    func reset(failures: Int) { state.withLock { $0 = State(failures: failures) } }

    var attempts: [[String]] { state.withLock { $0.attempts } }

    private func collect(_ requests: RPCAsyncSequence<RawMessage>) async throws -> [String] {
        var texts: [String] = []
        for try await request in requests { texts.append(request.text) }
        let fail = state.withLock { state in
            state.attempts.append(texts)
            defer { state.failures -= 1 }
            return state.failures > 0
        }
        if fail { throw RPCError(code: .unavailable, message: "try again") }
        return texts
    }

    func unary(_ request: RawMessage, context: ServerContext) async throws -> RawMessage { request }
    func serverStream(_ request: RawMessage, writer: RPCWriter<RawMessage>, context: ServerContext) async throws {}
    func clientStream(_ requests: RPCAsyncSequence<RawMessage>, context: ServerContext) async throws -> RawMessage {
        RawMessage(try await collect(requests).joined())
    }
    func bidi(_ requests: RPCAsyncSequence<RawMessage>, writer: RPCWriter<RawMessage>, context: ServerContext) async throws {
        for text in try await collect(requests) { try await writer.write(RawMessage(text)) }
    }
}
