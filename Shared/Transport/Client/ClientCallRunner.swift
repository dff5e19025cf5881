import NIOCore
import ProtoRuntime
import RPCCore

/// Runs one client call: picks connections, opens attempts, retries per policy, and hands the
/// committed attempt's response to the caller.
struct ClientCallRunner<Request: ProtoMessage, Response: ProtoMessage> {
    let method: MethodDescriptor
    let options: CallOptions
    let configuration: ChannelConfiguration
    let balancer: LoadBalancer
    let throttle: RetryThrottle?

    private var requestEncoding: CompressionAlgorithm { options.compression ?? configuration.defaultCompression ?? .identity }
    private var maxReceiveMessageSize: Int { options.maxReceiveMessageSize ?? configuration.maxReceiveMessageSize }

    func run<Result: Sendable>(
        _ request: RequestSource<Request>, handleResponse: (StreamingClientResponse<Response>) async throws -> Result
    ) async throws -> Result {
        switch request {
        case .single(let message):
            var buffer = ByteBufferAllocator().buffer(capacity: 0)
            try GRPCMessageFramer.write(
                message, into: &buffer, compression: requestEncoding, maxMessageSize: configuration.maxSendMessageSize)
            let io = try await committedAttempt(sending: buffer)
            return try await respond(io, handleResponse)
        case .stream(let produce):
            let io = try await openAttempt(firstMessage: nil, endRequests: false)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { [self] in
                    do {
                        try await produce(RPCWriter { message in
                            var buffer = ByteBufferAllocator().buffer(capacity: 0)
                            try GRPCMessageFramer.write(
                                message, into: &buffer, compression: requestEncoding,
                                maxMessageSize: configuration.maxSendMessageSize)
                            try await io.send(buffer)
                        })
                        io.endRequests()
                    } catch let error as RPCError where io.shared.finished {
                        _ = error  // the call ended first; its status is what the caller sees
                    } catch {
                        io.cancel(RPCError(from: error))
                    }
                }
                defer { group.cancelAll() }
                return try await respond(io, handleResponse)
            }
        }
    }

    /// A single-request call: attempts until one is committed (response headers arrived, or a
    /// final status that is not retried).
    private func committedAttempt(sending message: ByteBuffer) async throws -> ClientStreamIO {
        var attempt = 1
        var transparentRetries = 0
        var backoff = RetryBackoff(policy: configuration.retryPolicy)
        while true {
            let io = try await openAttempt(firstMessage: message, endRequests: true)
            let start = try await withTaskCancellationHandler {
                try await io.start.get()
            } onCancel: {
                io.cancel()
            }
            guard case .ended(let outcome) = start, !outcome.status.isOK else {
                throttle?.recordSuccess()
                return io
            }
            if outcome.refused && transparentRetries < configuration.maxTransparentRetries && !options.deadline.isExpired {
                transparentRetries += 1
                continue
            }
            guard let delay = retryDelay(after: outcome, attempt: attempt, backoff: &backoff) else { return io }
            if let deadline = options.deadline.instant, ContinuousClock.now.advanced(by: delay) >= deadline { return io }
            try await Task.sleep(for: delay)
            attempt += 1
        }
    }

    /// How long to wait before retrying a failed attempt, or nil when it must not be retried.
    private func retryDelay(after outcome: CallOutcome, attempt: Int, backoff: inout RetryBackoff) -> Duration? {
        guard let policy = configuration.retryPolicy, options.retryable else { return nil }
        let retryable = policy.retryableStatusCodes.contains(outcome.status.code)
        if retryable || outcome.pushback != nil { throttle?.recordFailure() }
        guard retryable, attempt < policy.maxAttempts, throttle?.allowsRetry ?? true else { return nil }
        if let pushback = outcome.pushback {
            guard pushback >= .zero else { return nil }  // the server said: do not retry
            backoff.reset()
            return pushback
        }
        return backoff.next()
    }

    private func openAttempt(firstMessage: ByteBuffer?, endRequests: Bool) async throws -> ClientStreamIO {
        if options.deadline.isExpired {
            throw RPCError(code: .deadlineExceeded, message: "deadline exceeded before the call started")
        }
        let connection = try await balancer.connection(waitForReady: options.waitForReady, deadline: options.deadline)
        let io = connection.makeStream(maxReceiveMessageSize: maxReceiveMessageSize, deadline: options.deadline)
        io.open(headers: requestHeaders(connection), firstMessage: firstMessage, endRequests: endRequests)
        return io
    }

    private func respond<Result: Sendable>(
        _ io: ClientStreamIO, _ handleResponse: (StreamingClientResponse<Response>) async throws -> Result
    ) async throws -> Result {
        let response = StreamingClientResponse(
            messages: io.responses(of: Response.self),
            headers: { try await io.start.get().metadata },
            trailers: {
                let outcome = try await io.outcome.get()
                guard outcome.status.isOK else { throw outcome.rpcError }
                return outcome.trailers
            })
        defer { io.cancel() }  // a response the caller stopped reading; no-op once finished
        return try await withTaskCancellationHandler {
            try await handleResponse(response)
        } onCancel: {
            io.cancel()
        }
    }

    private func requestHeaders(_ connection: ClientConnection) -> HeaderBlock {
        var block = HeaderBlock(capacity: 10 + options.metadata.count)
        block.add(":method", "POST")
        block.add(":scheme", "http")
        block.add(":path", method.path)
        block.add(":authority", configuration.authority ?? connection.authority)
        block.add("content-type", GRPCHeaders.contentType)
        block.add("te", "trailers")
        block.add("user-agent", GRPCHeaders.userAgent)
        if let remaining = options.deadline.remaining {
            block.add("grpc-timeout", GRPCTimeout.format(remaining))
        }
        if requestEncoding != .identity {
            block.add("grpc-encoding", requestEncoding.name)
        }
        block.add("grpc-accept-encoding", GRPCHeaders.acceptEncodingValue)
        MetadataCoding.append(options.metadata, to: &block)
        return block
    }
}

/// Exponential retry backoff with full jitter (gRFC A6).
struct RetryBackoff {
    private let policy: RetryPolicy?
    private var current: Double

    init(policy: RetryPolicy?) {
        self.policy = policy
        self.current = policy?.initialBackoff.seconds ?? 0
    }

    mutating func next() -> Duration {
        guard let policy else { return .zero }
        let delay = Double.random(in: 0...max(current, 0))
        current = min(current * policy.backoffMultiplier, policy.maxBackoff.seconds)
        return .seconds(delay)
    }

    mutating func reset() {
        current = policy?.initialBackoff.seconds ?? 0
    }
}
