import GRPCTesting
import RPCCore
@testable import Transport
import XCTest

/// A real `GRPCServer` on loopback for the hostile-peer tests: the echo service plus
/// `hostile.Probe/Unary`, a unary method on a real protobuf message (grpc.testing.SimpleRequest),
/// so malformed message bytes reach protobuf-c.
final class HostileServer: Sendable {
    static let probePath = "/hostile.Probe/Unary"
    static let countedPath = "/hostile.Probe/Counted"
    static let echoUnaryPath = "/echo.Echo/Unary"
    static let echoClientStreamPath = "/echo.Echo/ClientStream"

    let server: GRPCServer
    let port: Int

    private init(server: GRPCServer, port: Int) {
        self.server = server
        self.port = port
    }

    static func start(_ configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> HostileServer {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        configure(&configuration)
        let server = GRPCServer(configuration: configuration, services: [TestEchoService(), ProbeService()])
        try await server.start()
        return HostileServer(server: server, port: try XCTUnwrap(server.port))
    }

    /// Starts a server, runs `attack` against its port on a thread of its own (raw sockets
    /// block), then checks that a normal call still works and stops the server.
    static func attack<T: Sendable>(
        _ configure: (inout ServerConfiguration) -> Void = { _ in },
        file: StaticString = #filePath, line: UInt = #line,
        _ attack: @escaping @Sendable (_ port: Int) throws -> T
    ) async throws -> T {
        let server = try await start(configure)
        do {
            let port = server.port
            let result = try await RawSocketPeer.run { try attack(port) }
            try await server.assertStillServes(file: file, line: line)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// A normal gRPC call over a new connection works (the server is neither down nor wedged).
    func assertStillServes(file: StaticString = #filePath, line: UInt = #line) async throws {
        let channel = try GRPCChannel(target: "127.0.0.1:\(port)")
        defer { channel.close() }
        let echo = try await EchoClient(channel: channel).unary("still serving", options: .timeout(.seconds(5)))
        XCTAssertEqual(echo.text, "still serving", file: file, line: line)
    }

    func stop() async {
        await server.shutdown(gracePeriod: .milliseconds(200))
    }
}

/// `hostile.Probe/Unary`: answers with a payload of `response_size` bytes.
/// `hostile.Probe/Counted`: echoes a `DecodeCountingMessage` (counts decoder calls).
struct ProbeService: RPCService {
    static let unary = MethodDescriptor(service: "hostile.Probe", method: "Unary", kind: .unary)
    static let counted = MethodDescriptor(service: "hostile.Probe", method: "Counted", kind: .unary)
    var serviceName: String { "hostile.Probe" }
    var methodHandlers: [any RPCMethodHandler] {
        [
            MethodHandler<SimpleRequest, SimpleResponse>.unary(Self.unary) { request, _ in
                SimpleResponse.with { $0.payload = Payload.with { $0.body = [UInt8](repeating: 1, count: Int(request.responseSize)) } }
            },
            MethodHandler<DecodeCountingMessage, DecodeCountingMessage>.unary(Self.counted) { request, _ in request },
        ]
    }
}

/// How a stream ended, as seen by a raw peer.
enum StreamOutcome: Equatable {
    /// Trailers (or Trailers-Only) with this grpc-status.
    case status(Int)
    /// RST_STREAM with this error code.
    case reset(UInt32)
    /// GOAWAY with this error code before the stream ended.
    case goAway(UInt32)
    /// The server closed the connection without any of the above.
    case closed
    case timedOut
}

extension RawSocketPeer {
    /// Reads until `stream` ends, decoding every HEADERS block in order (HPACK is stateful).
    func outcome(of stream: UInt32, timeout: Duration = .seconds(5)) -> StreamOutcome {
        var result: StreamOutcome?
        _ = readFrames(timeout: timeout) { frame in
            if frame.type == RawFrame.headers {
                let fields = decodeHeaders(frame)
                if frame.stream == stream, let status = fields["grpc-status"].flatMap({ Int($0) }) { result = .status(status) }
            } else if frame.type == RawFrame.rstStream, frame.stream == stream {
                result = .reset(frame.errorCode ?? 0)
            } else if frame.type == RawFrame.goAway {
                result = .goAway(frame.errorCode ?? 0)
            }
            return result != nil
        }
        return result ?? (closed ? .closed : .timedOut)
    }

    /// Reads until a GOAWAY arrives (or the server closes / time runs out).
    func goAway(timeout: Duration = .seconds(5)) -> RawFrame? {
        readFrames(timeout: timeout) { $0.type == RawFrame.goAway }.last { $0.type == RawFrame.goAway }
    }

    /// Opens `stream` for `path` and sends `body` as its DATA.
    func call(stream: UInt32, path: String, body: [UInt8], endStream: Bool = true) {
        send(RawFrames.headers(stream: stream, block: RawHPACK.requestHeaders(path: path))
            + RawFrames.data(stream: stream, body, endStream: endStream))
    }
}

/// The resident set of this process (server and raw peers share it), in bytes.
func residentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])
    else { return 0 }
    return kilobytes * 1024
}
