import GRPCTesting
import RPCCore

/// `grpc.testing.TestService` as gRPC's interop test descriptions specify it: sized zero
/// payloads, requested statuses, echoed metadata, response intervals.
public struct InteropTestService: TestServiceHandler {
    static let echoInitialKey = "x-grpc-test-echo-initial"
    static let echoTrailingKey = "x-grpc-test-echo-trailing-bin"

    public init() {}

    public func emptyCall(_ request: Empty, context: ServerContext) async throws -> Empty {
        echoMetadata(context)
        return Empty()
    }

    public func unaryCall(_ request: SimpleRequest, context: ServerContext) async throws -> SimpleResponse {
        echoMetadata(context)
        try checkCompression(expected: request.expectCompressed, context: context)
        try fail(with: request.responseStatus)
        context.compressesResponses = request.responseCompressed?.value ?? false
        let payload = try Self.payload(size: request.responseSize)
        return .with { $0.payload = payload }
    }

    public func cacheableUnaryCall(_ request: SimpleRequest, context: ServerContext) async throws -> SimpleResponse {
        try await unaryCall(request, context: context)
    }

    public func streamingOutputCall(
        _ request: StreamingOutputCallRequest, writer: RPCWriter<StreamingOutputCallResponse>, context: ServerContext
    ) async throws {
        echoMetadata(context)
        for parameters in request.responseParameters {
            try await respond(parameters, writer: writer, context: context)
        }
        try fail(with: request.responseStatus)
    }

    public func streamingInputCall(
        _ requests: RPCAsyncSequence<StreamingInputCallRequest>, context: ServerContext
    ) async throws -> StreamingInputCallResponse {
        echoMetadata(context)
        var total: Int32 = 0
        for try await request in requests {
            try checkCompression(expected: request.expectCompressed, context: context)
            total += Int32(request.payload?.body.count ?? 0)
        }
        return .with { $0.aggregatedPayloadSize = total }
    }

    public func fullDuplexCall(
        _ requests: RPCAsyncSequence<StreamingOutputCallRequest>, writer: RPCWriter<StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        echoMetadata(context)
        for try await request in requests {
            for parameters in request.responseParameters {
                try await respond(parameters, writer: writer, context: context)
            }
            try fail(with: request.responseStatus)
        }
    }

    public func halfDuplexCall(
        _ requests: RPCAsyncSequence<StreamingOutputCallRequest>, writer: RPCWriter<StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        echoMetadata(context)
        var buffered: [StreamingOutputCallRequest] = []
        for try await request in requests { buffered.append(request) }
        for request in buffered {
            for parameters in request.responseParameters { try await respond(parameters, writer: writer, context: context) }
        }
    }

    public func unimplementedCall(_ request: Empty, context: ServerContext) async throws -> Empty {
        throw RPCError(code: .unimplemented, message: "grpc.testing.TestService/UnimplementedCall is not implemented")
    }

    // MARK: Behaviour shared by the methods

    /// A COMPRESSABLE payload of `size` zero bytes.
    static func payload(size: Int32) throws -> Payload {
        guard size >= 0 else { throw RPCError(code: .invalidArgument, message: "negative response size \(size)") }
        return .with { $0.type = .compressable; $0.body = [UInt8](repeating: 0, count: Int(size)) }
    }

    private func respond(
        _ parameters: ResponseParameters, writer: RPCWriter<StreamingOutputCallResponse>, context: ServerContext
    ) async throws {
        if parameters.intervalUs > 0 { try await Task.sleep(for: .microseconds(parameters.intervalUs)) }
        context.compressesResponses = parameters.compressed?.value ?? false
        let payload = try Self.payload(size: parameters.size)
        try await writer.write(.with { $0.payload = payload })
    }

    /// The status a request asks for, thrown when it is not OK.
    private func fail(with status: EchoStatus?) throws {
        guard let status, status.code != 0 else { return }
        throw RPCError(code: StatusCode(rawValue: Int(status.code)) ?? .unknown, message: status.message)
    }

    private func echoMetadata(_ context: ServerContext) {
        if let initial = context.requestMetadata.first(Self.echoInitialKey) {
            context.addResponseHeader(Self.echoInitialKey, initial)
        }
        for trailing in context.requestMetadata[binaryValues: Self.echoTrailingKey] {
            context.addTrailer(Self.echoTrailingKey, binary: trailing)
        }
    }

    /// `expect_compressed`: the request must (or must not) have arrived compressed.
    private func checkCompression(expected: GRPCTesting.BoolValue?, context: ServerContext) throws {
        guard let expected, expected.value else { return }
        guard context.lastRequestMessageWasCompressed else {
            throw RPCError(code: .invalidArgument, message: "expected a compressed request message")
        }
    }
}
