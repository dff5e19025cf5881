import RPCCore
import XCTest

/// Client-side checks shared by "our client ↔ our server" and "our client → grpcio server":
/// both servers implement the same echo semantics (see TestEchoService / echo_server.py).
enum EchoScenarios {
    static let specialMessage = "\t\ntest with whitespace\r\nand Unicode BMP \u{263A} and non-BMP \u{1F608}\t\n"

    static func runAll(_ client: EchoClient) async throws {
        // Unary, empty and large.
        let hello = try await client.unary("hello")
        XCTAssertEqual(hello.text, "hello")
        let empty = try await client.unary(RawMessage())
        XCTAssertEqual(empty.bytes, [])
        let large = RawMessage((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0) })
        let largeEcho = try await client.unary(large)
        XCTAssertEqual(largeEcho, large)

        // Status codes and messages, including non-ASCII.
        await assertThrows(code: .invalidArgument, message: "bad field 'x'") {
            _ = try await client.unary("status:3:bad field 'x'")
        }
        await assertThrows(code: .unknown, message: specialMessage) {
            _ = try await client.unary(RawMessage("status:2:" + specialMessage))
        }
        for code in StatusCode.allCases where code != .ok {
            await assertThrows(code: code, message: "code \(code.rawValue)") {
                _ = try await client.unary(RawMessage("status:\(code.rawValue):code \(code.rawValue)"))
            }
        }

        // Metadata both ways: ASCII header echoed in headers, binary echoed in trailers.
        var metadata = Metadata()
        metadata.add("x-echo-initial", "initial value")
        metadata.add("x-echo-trailing-bin", binary: [0xAB, 0x00, 0xFF])
        let response = try await client.channel.unaryWithMetadata(
            EchoMethods.unary, request: RawMessage("meta"), responseType: RawMessage.self,
            options: CallOptions(metadata: metadata))
        XCTAssertEqual(response.message.text, "meta")
        XCTAssertEqual(response.headers.first("x-echo-initial"), "initial value")
        XCTAssertEqual(response.trailers[binaryValues: "x-echo-trailing-bin"], [[0xAB, 0x00, 0xFF]])

        // Deadline.
        let started = ContinuousClock.now
        await assertThrows(code: .deadlineExceeded) {
            _ = try await client.unary("sleep:5000", options: .timeout(.milliseconds(200)))
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(3))

        // Server streaming.
        let streamed = try await client.serverStream("count:100") { response in
            var texts: [String] = []
            for try await message in response.messages { texts.append(message.text) }
            return texts
        }
        XCTAssertEqual(streamed, (0..<100).map(String.init))

        // Client streaming.
        let joined = try await client.clientStream { writer in
            for part in ["a", "bc", "", "d"] { try await writer.write(RawMessage(part)) }
        }
        XCTAssertEqual(joined.text, "abcd")
        let nothing = try await client.clientStream { _ in }
        XCTAssertEqual(nothing.bytes, [])

        // Bidi, ping-pong: each response arrives before the next request is sent.
        let (pongs, writes) = AsyncStream.makeStream(of: String.self)
        let echoed = try await client.bidi(requests: { writer in
            for try await next in pongs { try await writer.write(RawMessage(next)) }
        }, onResponse: { response in
            var received: [String] = []
            writes.yield("ping0")
            for try await message in response.messages {
                received.append(message.text)
                if received.count == 5 { writes.finish() } else { writes.yield("ping\(received.count)") }
            }
            return received
        })
        XCTAssertEqual(echoed, (0..<5).map { "ping\($0)" })

        // Unimplemented method and service.
        await assertThrows(code: .unimplemented) {
            let _: RawMessage = try await client.channel.unary(
                MethodDescriptor(service: "echo.Echo", method: "Nope", kind: .unary), request: RawMessage())
        }
        await assertThrows(code: .unimplemented) {
            let _: RawMessage = try await client.channel.unary(
                MethodDescriptor(service: "nope.Nope", method: "Unary", kind: .unary), request: RawMessage())
        }

        // Compression both ways of the request.
        let compressible = RawMessage(String(repeating: "compressible ", count: 1000))
        for algorithm in [CompressionAlgorithm.gzip, .deflate] {
            let echo = try await client.unary(compressible, options: CallOptions(compression: algorithm))
            XCTAssertEqual(echo, compressible)
        }

        // Many concurrent calls multiplexed on one connection.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let echo = try await client.unary(RawMessage("n\(index)"))
                    XCTAssertEqual(echo.text, "n\(index)")
                }
            }
            try await group.waitForAll()
        }
    }
}

func assertThrows(
    code: StatusCode, message: String? = nil, file: StaticString = #filePath, line: UInt = #line,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        XCTFail("expected \(code), call succeeded", file: file, line: line)
    } catch let error as RPCError {
        XCTAssertEqual(error.code, code, "\(error)", file: file, line: line)
        if let message { XCTAssertEqual(error.message, message, file: file, line: line) }
    } catch {
        XCTFail("expected RPCError \(code), got \(error)", file: file, line: line)
    }
}
