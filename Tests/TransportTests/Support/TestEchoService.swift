import RPCCore

/// The echo service the tests serve. Requests are text commands:
/// - `status:<code>:<message>` → fails with that status;
/// - `sleep:<ms>` → sleeps (honouring cancellation), then echoes;
/// - `count:<n>` (ServerStream) → n responses "0", "1", …;
/// anything else is echoed. Metadata `x-echo-initial` is echoed as a response header and
/// `x-echo-trailing-bin` as a trailer, like gRPC's custom_metadata interop case.
struct TestEchoService: EchoHandler {
    /// Calls whose handler observed cancellation (for cancellation tests).
    let events = EventLog()

    func unary(_ request: RawMessage, context: ServerContext) async throws -> RawMessage {
        echoMetadata(context)
        return try await respond(to: request, context: context)
    }

    func serverStream(_ request: RawMessage, writer: RPCWriter<RawMessage>, context: ServerContext) async throws {
        echoMetadata(context)
        let text = request.text
        if text.hasPrefix("count:"), let count = Int(text.dropFirst(6)) {
            for index in 0..<count { try await writer.write(RawMessage("\(index)")) }
            return
        }
        if text.hasPrefix("big:"), let size = Int(text.dropFirst(4)) {
            try await writer.write(RawMessage([UInt8](repeating: 7, count: size)))
            return
        }
        try await writer.write(try await respond(to: request, context: context))
    }

    func clientStream(_ requests: RPCAsyncSequence<RawMessage>, context: ServerContext) async throws -> RawMessage {
        echoMetadata(context)
        var all: [UInt8] = []
        for try await request in requests { all += request.bytes }
        return RawMessage(all)
    }

    func bidi(_ requests: RPCAsyncSequence<RawMessage>, writer: RPCWriter<RawMessage>, context: ServerContext) async throws {
        echoMetadata(context)
        for try await request in requests {
            try await writer.write(try await respond(to: request, context: context))
        }
    }

    private func respond(to request: RawMessage, context: ServerContext) async throws -> RawMessage {
        let text = request.text
        if text.hasPrefix("status:") {
            let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            let code = StatusCode(rawValue: Int(parts[1]) ?? 2) ?? .unknown
            throw RPCError(code: code, message: parts.count > 2 ? String(parts[2]) : "")
        }
        if text.hasPrefix("sleep:"), let ms = Int(text.dropFirst(6)) {
            do {
                try await Task.sleep(for: .milliseconds(ms))
            } catch {
                await events.record("cancelled \(context.method.method)")
                throw error
            }
        }
        return request
    }

    private func echoMetadata(_ context: ServerContext) {
        if let initial = context.requestMetadata.first("x-echo-initial") {
            context.addResponseHeader("x-echo-initial", initial)
        }
        for value in context.requestMetadata[binaryValues: "x-echo-trailing-bin"] {
            context.addTrailer("x-echo-trailing-bin", binary: value)
        }
    }
}

actor EventLog {
    private(set) var events: [String] = []
    func record(_ event: String) { events.append(event) }
}
