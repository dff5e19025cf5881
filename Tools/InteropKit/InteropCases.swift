import GRPCTesting
import RPCCore

/// gRPC's interop test cases, run by our client against any `grpc.testing.TestService`
/// (gRPC's doc/interop-test-descriptions.md). Each throws `InteropFailure` when the server
/// answers wrongly.
public struct InteropCases: Sendable {
    public let channel: any RPCChannel
    /// Whether the server must reject an uncompressed request that expects compression (the
    /// spec's feature probe). grpcio's Python server cannot see a message's compressed flag and
    /// accepts the probe, so runs against it turn this off; everything else is still checked.
    public let strictCompressionProbe: Bool
    private var client: TestServiceClient { TestServiceClient(channel: channel) }

    public init(channel: any RPCChannel, strictCompressionProbe: Bool = true) {
        self.channel = channel
        self.strictCompressionProbe = strictCompressionProbe
    }

    /// Every case by its interop name, in the order of the descriptions.
    public static let names = [
        "empty_unary", "large_unary", "client_compressed_unary", "server_compressed_unary", "client_streaming",
        "client_compressed_streaming", "server_streaming", "server_compressed_streaming", "ping_pong", "empty_stream",
        "custom_metadata", "status_code_and_message", "special_status_message", "unimplemented_method",
        "unimplemented_service", "cancel_after_begin", "cancel_after_first_response", "timeout_on_sleeping_server",
    ]

    public func run(_ name: String) async throws {
        switch name {
        case "empty_unary": try await emptyUnary()
        case "large_unary": try await largeUnary()
        case "client_compressed_unary": try await clientCompressedUnary()
        case "server_compressed_unary": try await serverCompressedUnary()
        case "client_streaming": try await clientStreaming()
        case "client_compressed_streaming": try await clientCompressedStreaming()
        case "server_streaming": try await serverStreaming()
        case "server_compressed_streaming": try await serverCompressedStreaming()
        case "ping_pong": try await pingPong()
        case "empty_stream": try await emptyStream()
        case "custom_metadata": try await customMetadata()
        case "status_code_and_message": try await statusCase(message: "test status message")
        case "special_status_message":
            try await statusCase(message: "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n")
        case "unimplemented_method": try await unimplementedMethod()
        case "unimplemented_service": try await unimplementedService()
        case "cancel_after_begin": try await cancelAfterBegin()
        case "cancel_after_first_response": try await cancelAfterFirstResponse()
        case "timeout_on_sleeping_server": try await timeoutOnSleepingServer()
        default: throw InteropFailure("unknown test case \(name)")
        }
    }

    static let requestSizes: [Int32] = [27182, 8, 1828, 45904]
    static let responseSizes: [Int32] = [31415, 9, 2653, 58979]

    static func payload(_ size: Int32) -> Payload {
        .with { $0.type = .compressable; $0.body = [UInt8](repeating: 0, count: Int(size)) }
    }

    func emptyUnary() async throws {
        let response = try await client.emptyCall(Empty())
        try expect(response == Empty(), "non-empty response")
    }

    func largeUnary() async throws {
        let response = try await client.unaryCall(.with { $0.responseSize = 314_159; $0.payload = Self.payload(271_828) })
        try expect(response.payload?.body == [UInt8](repeating: 0, count: 314_159), "wrong payload")
    }

    func clientCompressedUnary() async throws {
        let probe = SimpleRequest.with {
            $0.expectCompressed = .with { $0.value = true }; $0.responseSize = 314_159; $0.payload = Self.payload(271_828)
        }
        do {
            _ = try await client.unaryCall(probe)
            if strictCompressionProbe { throw InteropFailure("uncompressed request with expect_compressed=true was accepted") }
        } catch let error as RPCError {
            try expect(error.code == .invalidArgument, "probe: expected INVALID_ARGUMENT, got \(error)")
        }
        for compressed in [true, false] {
            var request = probe
            request.expectCompressed = .with { $0.value = compressed }
            let response = try await client.unaryCall(request, options: CallOptions(compression: compressed ? .gzip : .identity))
            try expect(response.payload?.body.count == 314_159, "wrong payload size")
        }
    }

    func serverCompressedUnary() async throws {
        for compressed in [true, false] {
            let response = try await client.unaryCall(.with {
                $0.responseCompressed = .with { $0.value = compressed }; $0.responseSize = 314_159
                $0.payload = Self.payload(271_828)
            })
            try expect(response.payload?.body.count == 314_159, "wrong payload size")
        }
    }

    func clientStreaming() async throws {
        let response = try await client.streamingInputCall { writer in
            for size in Self.requestSizes { try await writer.write(.with { $0.payload = Self.payload(size) }) }
        }
        try expect(response.aggregatedPayloadSize == 74_922, "aggregated \(response.aggregatedPayloadSize)")
    }

    func clientCompressedStreaming() async throws {
        do {
            _ = try await client.streamingInputCall { writer in
                try await writer.write(.with { $0.expectCompressed = .with { $0.value = true }; $0.payload = Self.payload(27182) })
            }
            if strictCompressionProbe { throw InteropFailure("uncompressed stream with expect_compressed=true was accepted") }
        } catch let error as RPCError {
            try expect(error.code == .invalidArgument, "probe: expected INVALID_ARGUMENT, got \(error)")
        }
        let response = try await client.streamingInputCall(options: CallOptions(compression: .gzip)) { writer in
            try await writer.write(.with { $0.expectCompressed = .with { $0.value = true }; $0.payload = Self.payload(27182) })
        }
        try expect(response.aggregatedPayloadSize == 27182, "aggregated \(response.aggregatedPayloadSize)")
    }

    func serverStreaming() async throws {
        let request = StreamingOutputCallRequest.with {
            $0.responseParameters = Self.responseSizes.map { size in .with { $0.size = size } }
        }
        let sizes = try await client.streamingOutputCall(request) { response in
            try await response.messages.reduce(into: [Int32]()) { $0.append(Int32($1.payload?.body.count ?? 0)) }
        }
        try expect(sizes == Self.responseSizes, "sizes \(sizes)")
    }

    func serverCompressedStreaming() async throws {
        let request = StreamingOutputCallRequest.with {
            $0.responseParameters = [
                .with { $0.size = 31415; $0.compressed = .with { $0.value = true } },
                .with { $0.size = 92653; $0.compressed = .with { $0.value = false } },
            ]
        }
        let sizes = try await client.streamingOutputCall(request) { response in
            try await response.messages.reduce(into: [Int32]()) { $0.append(Int32($1.payload?.body.count ?? 0)) }
        }
        try expect(sizes == [31415, 92653], "sizes \(sizes)")
    }

    func pingPong() async throws {
        let (requests, feed) = AsyncStream<StreamingOutputCallRequest>.makeStream()
        try await client.fullDuplexCall(requests: { writer in
            for await request in requests { try await writer.write(request) }
        }, onResponse: { response in
            var iterator = response.messages.makeAsyncIterator()
            for (requestSize, responseSize) in zip(Self.requestSizes, Self.responseSizes) {
                feed.yield(.with {
                    $0.responseParameters = [.with { $0.size = responseSize }]; $0.payload = Self.payload(requestSize)
                })
                let message = try await iterator.next()
                try expect(message?.payload?.body.count == Int(responseSize), "response size \(message?.payload?.body.count ?? -1)")
            }
            feed.finish()
            try expect(try await iterator.next() == nil, "extra response")
        })
    }

    func emptyStream() async throws {
        let count = try await client.fullDuplexCall(requests: { _ in }, onResponse: { response in
            try await response.messages.reduce(0) { count, _ in count + 1 }
        })
        try expect(count == 0, "\(count) responses to an empty stream")
    }

    func customMetadata() async throws {
        var metadata = Metadata()
        metadata.add("x-grpc-test-echo-initial", "test_initial_metadata_value")
        metadata.add("x-grpc-test-echo-trailing-bin", binary: [0xAB, 0xAB, 0xAB])
        let unary = try await channel.unaryWithMetadata(
            TestServiceMethods.unaryCall, request: SimpleRequest.with { $0.responseSize = 314_159; $0.payload = Self.payload(271_828) },
            responseType: SimpleResponse.self, options: CallOptions(metadata: metadata))
        try checkEcho(headers: unary.headers, trailers: unary.trailers)

        try await client.fullDuplexCall(options: CallOptions(metadata: metadata), requests: { writer in
            try await writer.write(.with { $0.responseParameters = [.with { $0.size = 314_159 }]; $0.payload = Self.payload(271_828) })
        }, onResponse: { response in
            for try await _ in response.messages {}
            try checkEcho(headers: try await response.headers(), trailers: try await response.trailers())
        })
    }

    private func checkEcho(headers: Metadata, trailers: Metadata) throws {
        try expect(headers.first("x-grpc-test-echo-initial") == "test_initial_metadata_value", "initial metadata \(headers)")
        try expect(trailers[binaryValues: "x-grpc-test-echo-trailing-bin"] == [[0xAB, 0xAB, 0xAB]], "trailing metadata \(trailers)")
    }

    func statusCase(message: String) async throws {
        let status = EchoStatus.with { $0.code = 2; $0.message = message }
        do {
            _ = try await client.unaryCall(.with { $0.responseStatus = status })
            throw InteropFailure("UnaryCall did not fail")
        } catch let error as RPCError {
            try expect(error.code == .unknown && error.message == message, "unary: \(error)")
        }
        do {
            try await client.fullDuplexCall(requests: { writer in
                try await writer.write(.with { $0.responseStatus = status })
            }, onResponse: { response in
                for try await _ in response.messages {}
            })
            throw InteropFailure("FullDuplexCall did not fail")
        } catch let error as RPCError {
            try expect(error.code == .unknown && error.message == message, "stream: \(error)")
        }
    }

    func unimplementedMethod() async throws {
        do {
            _ = try await client.unimplementedCall(Empty())
            throw InteropFailure("UnimplementedCall succeeded")
        } catch let error as RPCError {
            try expect(error.code == .unimplemented, "\(error)")
        }
    }

    func unimplementedService() async throws {
        do {
            _ = try await UnimplementedServiceClient(channel: channel).unimplementedCall(Empty())
            throw InteropFailure("UnimplementedService succeeded")
        } catch let error as RPCError {
            try expect(error.code == .unimplemented, "\(error)")
        }
    }

    func cancelAfterBegin() async throws {
        let call = Task {
            try await client.streamingInputCall { _ in try await Task.sleep(for: .seconds(30)) }
        }
        try await Task.sleep(for: .milliseconds(50))
        call.cancel()
        do {
            _ = try await call.value
            throw InteropFailure("cancelled call succeeded")
        } catch let error as RPCError {
            try expect(error.code == .cancelled, "\(error)")
        }
    }

    func cancelAfterFirstResponse() async throws {
        let (started, signal) = AsyncStream<Void>.makeStream()
        let call = Task {
            try await client.fullDuplexCall(requests: { writer in
                try await writer.write(.with { $0.responseParameters = [.with { $0.size = 31415 }]; $0.payload = Self.payload(27182) })
                try await Task.sleep(for: .seconds(30))
            }, onResponse: { response in
                for try await message in response.messages {
                    try expect(message.payload?.body.count == 31415, "first response size")
                    signal.yield()
                }
            })
        }
        for await _ in started { break }
        call.cancel()
        do {
            try await call.value
            throw InteropFailure("cancelled call succeeded")
        } catch let error as RPCError {
            try expect(error.code == .cancelled, "\(error)")
        }
    }

    func timeoutOnSleepingServer() async throws {
        do {
            try await client.fullDuplexCall(options: .timeout(.milliseconds(1)), requests: { writer in
                try await writer.write(.with { $0.payload = Self.payload(27182) })
                try await Task.sleep(for: .seconds(30))
            }, onResponse: { response in
                for try await _ in response.messages {}
            })
            throw InteropFailure("call outlived its deadline")
        } catch let error as RPCError {
            try expect(error.code == .deadlineExceeded, "\(error)")
        }
    }

    private func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        if !condition { throw InteropFailure(message()) }
    }
}

/// A server answered an interop case wrongly.
public struct InteropFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
