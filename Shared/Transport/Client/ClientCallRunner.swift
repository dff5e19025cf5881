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
            return try await runStreaming(produce, handleResponse: handleResponse)
        }
    }

    /// A single-request call: attempts until one is committed (response headers arrived, or a
    /// final status that is not retried).
    private func committedAttempt(sending message: ByteBuffer) async throws -> ClientStreamIO {
        var retries = RetryState(policy: configuration.retryPolicy)
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
            guard try await shouldRetry(after: outcome, &retries) else { return io }
        }
    }

    /// A client- or bidi-streaming call. Three things run at once: the producer writes into a
    /// `RetryableRequestStream`, the attempt loop below opens attempts (replaying what was
    /// written) until one commits, and the caller reads the committed attempt's response —
    /// it must be able to start before any response arrives (ping-pong).
    private func runStreaming<Result: Sendable>(
        _ produce: @escaping @Sendable (RPCWriter<Request>) async throws -> Void,
        handleResponse: (StreamingClientResponse<Response>) async throws -> Result
    ) async throws -> Result {
        let call = RetryableRequestStream(bufferLimit: configuration.retryBufferSize)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                do {
                    try await produce(RPCWriter { message in
                        var buffer = ByteBufferAllocator().buffer(capacity: 0)
                        try GRPCMessageFramer.write(
                            message, into: &buffer, compression: requestEncoding,
                            maxMessageSize: configuration.maxSendMessageSize)
                        try await call.write(buffer)
                    })
                    try await call.end()
                } catch {
                    // Once the call ended, its status is what the caller sees; otherwise the
                    // producer's failure ends the call.
                    if !call.isSettled { call.abort(RPCError(from: error)) }
                }
            }
            group.addTask { [self] in
                do {
                    call.commit(try await streamingAttempts(call))
                } catch {
                    call.fail(error)
                }
            }
            defer {
                call.close()
                group.cancelAll()
            }
            let result = try await respond(call, handleResponse)
            // A call that never got an attempt (no connection, deadline) fails even when the
            // caller returned without reading the response, as a single-request call would.
            if let failure = call.failure { throw failure }
            return result
        }
    }

    /// Opens attempts for a streaming call until one is committed; returns it.
    private func streamingAttempts(_ call: RetryableRequestStream) async throws -> ClientStreamIO {
        var retries = RetryState(policy: configuration.retryPolicy)
        while true {
            if let aborted = call.abortedError { throw aborted }
            let io = try await openAttempt(firstMessage: nil, endRequests: false)
            await call.attach(io)
            let start = try await withTaskCancellationHandler {
                try await io.start.get()
            } onCancel: {
                io.cancel()
            }
            guard case .ended(let outcome) = start, !outcome.status.isOK else {
                throttle?.recordSuccess()
                return io
            }
            guard call.detachForRetry(io), try await shouldRetry(after: outcome, &retries) else { return io }
        }
    }

    /// Whether to make another attempt after a failed one, having slept out its backoff:
    /// transparently (any call) when the server never saw it, else per the retry policy.
    private func shouldRetry(after outcome: CallOutcome, _ retries: inout RetryState) async throws -> Bool {
        if outcome.refused && retries.transparent < configuration.maxTransparentRetries && !options.deadline.isExpired {
            retries.transparent += 1
            return true
        }
        guard let delay = retryDelay(after: outcome, attempt: retries.attempt, backoff: &retries.backoff) else { return false }
        if let deadline = options.deadline.instant, ContinuousClock.now.advanced(by: delay) >= deadline { return false }
        try await Task.sleep(for: delay)
        retries.attempt += 1
        return true
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

    private func respond<Result: Sendable>(
        _ call: RetryableRequestStream, _ handleResponse: (StreamingClientResponse<Response>) async throws -> Result
    ) async throws -> Result {
        let messages = RPCAsyncSequence<Response> {
            var committed: RPCAsyncSequence<Response>.AsyncIterator?
            return RPCAsyncSequence.AsyncIterator {
                if committed == nil { committed = try await call.committed().responses(of: Response.self).makeAsyncIterator() }
                return try await committed!.next()
            }
        }
        let response = StreamingClientResponse(
            messages: messages,
            headers: { try await call.committed().start.get().metadata },
            trailers: {
                let outcome = try await call.committed().outcome.get()
                guard outcome.status.isOK else { throw outcome.rpcError }
                return outcome.trailers
            })
        return try await withTaskCancellationHandler {
            try await handleResponse(response)
        } onCancel: {
            call.abort(RPCError(code: .cancelled, message: "call cancelled by the client"))
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

/// Where a call is in its attempts.
struct RetryState {
    var attempt = 1
    var transparent = 0
    var backoff: RetryBackoff

    init(policy: RetryPolicy?) {
        backoff = RetryBackoff(policy: policy)
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
