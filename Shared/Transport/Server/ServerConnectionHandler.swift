import CNGHTTP2
import NIOCore
import RPCCore

/// Serves gRPC on one HTTP/2 connection: owns the connection's nghttp2 session, turns its
/// events into calls, and writes what the calls produce. Event-loop confined.
final class ServerConnectionHandler: ChannelInboundHandler, HTTP2SessionDelegate {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let router: MethodRouter
    private let configuration: ServerConfiguration
    private var session: HTTP2Session?
    private var context: ChannelHandlerContext?
    private var streams: [Int32: ServerStream] = [:]
    private var peer = "unknown"
    private var flushScheduled = false
    /// Close as soon as the pending frames (a final GOAWAY) are written.
    private var closeAfterFlush = false
    private var shutdown = GracefulShutdown.none
    private var graceTimer: Scheduled<Void>?
    private var lifetime: ConnectionLifetime?
    /// Where handler tasks run: this connection's event loop, unless configured otherwise.
    private var handlerExecutor: EventLoopTaskExecutor?
    private var busyPoller: BusyPoller?
    private var resetLimiter: StreamResetLimiter

    private enum GracefulShutdown {
        case none
        /// First GOAWAY (last stream id 2^31-1) and a PING sent; waiting for the PING ack.
        case noticeSent
        /// Final GOAWAY sent; closing once the remaining streams finish.
        case draining
    }

    init(router: MethodRouter, configuration: ServerConfiguration) {
        self.router = router
        self.configuration = configuration
        self.resetLimiter = StreamResetLimiter(
            burst: configuration.streamResetRateLimit.burst, rate: configuration.streamResetRateLimit.rate)
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        peer = Self.describe(context.channel.remoteAddress)
        var settings = HTTP2Session.Settings()
        settings.maxConcurrentStreams = configuration.maxConcurrentStreams
        settings.initialWindowSize = configuration.initialStreamWindowSize
        settings.connectionWindowSize = configuration.connectionWindowSize
        settings.maxHeaderListSize = UInt32(configuration.maxHeaderListSize)
        do {
            session = try HTTP2Session(
                role: .server, delegate: self, settings: settings, resetRateLimit: resetLimiter.nghttp2Backstop)
        } catch {
            context.close(promise: nil)
            return
        }
        lifetime = ConnectionLifetime(policy: configuration.connectionPolicy, eventLoop: context.eventLoop, events: self)
        if configuration.runsHandlersOnEventLoop { handlerExecutor = EventLoopTaskExecutor(context.eventLoop) }
        if let window = configuration.busyPollWindow { busyPoller = BusyPoller(eventLoop: context.eventLoop, window: window) }
        if context.channel.isActive { flush() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        tearDown()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        flush()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        tearDown()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let session else { return }
        let bytes = unwrapInboundIn(data)
        if !session.receive(bytes) {
            // nghttp2 queued a GOAWAY if the peer broke the protocol; send it, then close.
            flush()
            context.close(promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flush()
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { flush() }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? GracefulShutdownEvent {
            beginGracefulShutdown(grace: event.gracePeriod)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// Cancels every call and frees the session; runs once, whichever way the connection ends.
    private func tearDown() {
        let remaining = streams.values
        streams.removeAll()
        for stream in remaining where !stream.finished {
            stream.finished = true
            stream.cancelHandler(RPCError(code: .unavailable, message: "connection closed"))
        }
        graceTimer?.cancel()
        graceTimer = nil
        lifetime?.stop()
        lifetime = nil
        busyPoller?.stop()
        busyPoller = nil
        session = nil
    }

    // MARK: Writing

    /// Coalesces output: everything submitted during this event-loop tick goes out in one write.
    private func scheduleFlush() {
        guard !flushScheduled, let context else { return }
        flushScheduled = true
        context.eventLoop.assumeIsolated().execute { [self] in
            flushScheduled = false
            flush()
        }
    }

    private func flush() {
        guard let context, let session, context.channel.isActive else { return }
        // A slow reader: leave frames inside nghttp2 (bounded by flow control) until writable.
        guard context.channel.isWritable else { return }
        var buffer = context.channel.allocator.buffer(capacity: 4096)
        let ok = session.drainOutput(into: &buffer)
        if buffer.readableBytes > 0 {
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
            busyPoller?.extend()
        }
        if !ok || closeAfterFlush || (!session.wantsRead && !session.wantsWrite)
            || (shutdown == .draining && streams.isEmpty && !session.wantsWrite) {
            context.close(promise: nil)
        }
    }

    // MARK: Graceful shutdown

    private func beginGracefulShutdown(grace: Duration) {
        guard case .none = shutdown, let session, let context else { return }
        shutdown = .noticeSent
        session.submitShutdownNotice()
        session.submitPing()
        graceTimer = context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(grace.nanoseconds)) { [self] in
            // Grace is over: the remaining calls are cancelled and the connection closes.
            self.context?.close(promise: nil)
        }
        flush()
    }

    private func sendFinalGoAway() {
        guard let session else { return }
        shutdown = .draining
        session.submitGoAway(lastStreamID: session.lastProcessedStreamID, errorCode: HTTP2ErrorCode.noError)
        scheduleFlush()
    }

    // MARK: Session events (inside nghttp2 calls; never close or free the session here)

    func beginHeaders(stream: Int32) {
        lifetime?.headerBlockStarted()
        if streams[stream] == nil {
            streams[stream] = ServerStream(id: stream, maxMessageSize: configuration.maxReceiveMessageSize)
            lifetime?.activeStreamsChanged(streams.count)
        }
    }

    func header(stream: Int32, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let call = streams[stream], call.phase == .receivingHeaders, !call.head.tooLarge else { return true }
        // Past the limit we stop collecting and answer RESOURCE_EXHAUSTED once the block ends.
        _ = call.head.add(name: name, value: value, limit: configuration.maxHeaderListSize)
        return true
    }

    func headersComplete(stream: Int32, endStream: Bool) {
        lifetime?.headerBlockEnded()
        guard let call = streams[stream] else { return }
        if call.phase == .receivingHeaders {
            startCall(call)
        }
        if endStream { requestEnded(call) }
    }

    func dataChunk(stream: Int32, bytes: UnsafeRawBufferPointer) {
        guard let session else { return }
        session.consumeConnection(bytes.count)
        guard let call = streams[stream], !call.finished,
              call.phase == .awaitingRequest || call.phase == .running
        else {
            session.consumeStream(stream, bytes.count)
            return
        }
        call.deframer.append(bytes, allocator: context!.channel.allocator)
        if let inbound = call.io?.inbound {
            session.consumeStream(stream, inbound.received(bytes: bytes.count))
        } else {
            session.consumeStream(stream, bytes.count)  // bounded by the message size limit
        }
        do {
            while let message = try call.deframer.next() {
                try deliver(message, to: call)
            }
        } catch {
            fail(call, error)
        }
    }

    func dataEndStream(stream: Int32) {
        guard let call = streams[stream] else { return }
        requestEnded(call)
    }

    func streamClosed(stream: Int32, errorCode: UInt32) {
        // A stream reset mid-block (e.g. by nghttp2 for a bad header) ends its block too; while
        // a block is open no other stream can close, so this is the only one pending.
        if streams[stream]?.phase == .receivingHeaders { lifetime?.headerBlockEnded() }
        guard let call = streams.removeValue(forKey: stream) else { return }
        if !call.finished {
            // The client reset the stream (or the connection is going away): stop the handler.
            call.finished = true
            call.cancelHandler(RPCError(code: .cancelled, message: "call cancelled by the client"))
        } else {
            call.cancelHandler(RPCError(code: .cancelled, message: "call already finished"))
        }
        lifetime?.activeStreamsChanged(streams.count)
        if shutdown == .draining && streams.isEmpty { scheduleFlush() }
    }

    func goAwayReceived(lastStreamID: Int32, errorCode: UInt32, debugData: [UInt8]) {}

    func settingsReceived() {
        lifetime?.handshakeCompleted()
    }

    func resetReceived(stream: Int32) {
        guard !closeAfterFlush, !resetLimiter.allowReset() else { return }
        session?.submitGoAway(
            lastStreamID: session?.lastProcessedStreamID ?? 0, errorCode: HTTP2ErrorCode.enhanceYourCalm,
            debugData: "too_many_resets")
        closeAfterFlush = true
        scheduleFlush()
    }

    func pingReceived(ack: Bool) {
        if ack {
            lifetime?.pingAcknowledged()
            if case .noticeSent = shutdown { sendFinalGoAway() }
        } else if lifetime?.clientPinged(activeStreams: streams.count) == .tooManyPings {
            // gRPC's ping-strike policy: GOAWAY ENHANCE_YOUR_CALM "too_many_pings", then close.
            session?.submitGoAway(
                lastStreamID: session?.lastProcessedStreamID ?? 0, errorCode: HTTP2ErrorCode.enhanceYourCalm,
                debugData: "too_many_pings")
            closeAfterFlush = true
            scheduleFlush()
        }
    }

    func readData(stream: Int32, into buffer: UnsafeMutableRawBufferPointer, flags: inout UInt32) -> Int? {
        guard let call = streams[stream] else {
            flags |= NGHTTP2_DATA_FLAG_EOF.rawValue
            return 0
        }
        let written = call.outbound.read(into: buffer)
        if written > 0 { call.gate.released(written) }
        if call.outbound.isEmpty, let trailers = call.pendingTrailers {
            call.pendingTrailers = nil
            session?.submitTrailer(stream: stream, headers: trailers)
            flags |= NGHTTP2_DATA_FLAG_EOF.rawValue | NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue
            return written
        }
        if written == 0 {
            call.outbound.isDeferred = true
            return nil
        }
        return written
    }

    // MARK: Calls

    private func startCall(_ call: ServerStream) {
        let head = call.head
        guard !head.tooLarge else {
            return reject(call, Status(code: .resourceExhausted, message: "request header list larger than \(configuration.maxHeaderListSize) bytes"))
        }
        guard GRPCHeaders.isGRPCContentType(head.contentType) else {
            return rejectHTTP(call, status: 415)
        }
        guard head.method == "POST" else { return rejectHTTP(call, status: 405) }
        guard let path = head.path, let handler = router[path] else {
            return reject(call, Status(code: .unimplemented, message: "Method not found: \(head.path ?? "")"))
        }
        if let encoding = head.encoding {
            guard let algorithm = GRPCHeaders.encoding(named: encoding) else {
                return reject(call, Status(code: .unimplemented, message: "Compression algorithm '\(encoding)' is not supported"), extraHeaders: ["grpc-accept-encoding": GRPCHeaders.acceptEncodingValue])
            }
            call.requestEncoding = algorithm
        }
        var deadline = Deadline.distantFuture
        if let timeout = head.timeout.flatMap(GRPCTimeout.parse) {
            deadline = .after(timeout)
            let streamID = call.id
            call.deadlineTimer = context!.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(timeout.nanoseconds)) { [self] in
                guard let call = streams[streamID], !call.finished else { return }
                fail(call, RPCError(code: .deadlineExceeded, message: "deadline exceeded"))
                flush()
            }
        }
        let responseEncoding: CompressionAlgorithm =
            configuration.responseCompression.flatMap { head.acceptedEncodings().contains($0) ? $0 : nil } ?? .identity
        call.handler = handler
        call.context = ServerContext(
            method: handler.descriptor, requestMetadata: head.metadata, deadline: deadline, peer: peer)
        let streamID = call.id
        let inbound = handler.descriptor.kind.clientStreams
            ? InboundMessageQueue(eventLoop: context!.eventLoop) { [loopBound = NIOLoopBound(self, eventLoop: context!.eventLoop)] bytes in
                loopBound.value.returnWindow(stream: streamID, bytes: bytes)
            }
            : nil
        call.io = ServerCallIO(
            streamID: streamID, eventLoop: context!.eventLoop,
            connection: NIOLoopBound(self, eventLoop: context!.eventLoop), gate: call.gate, inbound: inbound,
            requestEncoding: call.requestEncoding, responseEncoding: responseEncoding,
            maxReceiveMessageSize: configuration.maxReceiveMessageSize,
            maxSendMessageSize: configuration.maxSendMessageSize, allocator: context!.channel.allocator)
        if handler.descriptor.kind.clientStreams {
            launch(call)
        } else {
            call.phase = .awaitingRequest
        }
    }

    private func launch(_ call: ServerStream) {
        call.phase = .running
        guard let handler = call.handler, let io = call.io, let context = call.context else { return }
        let request = call.request
        call.request = nil
        let interceptors = configuration.interceptors
        guard let handlerExecutor else {
            call.task = Task {
                await ServerCallRunner.run(handler, io: io, context: context, request: request, interceptors: interceptors)
            }
            return
        }
        // Started immediately, on this thread, up to its first suspension: a handler that
        // answers without waiting (or after a quick await) is done before this read's
        // channelReadComplete flushes, so its response leaves in the same write, without a trip
        // through the event loop's task queue. Later steps resume on the loop (the preference).
        call.task = Task.immediate(executorPreference: handlerExecutor) {
            await ServerCallRunner.run(handler, io: io, context: context, request: request, interceptors: interceptors)
        }
    }

    private func deliver(_ message: FramedMessage, to call: ServerStream) throws(RPCError) {
        if message.compressed && call.requestEncoding == .identity {
            throw RPCError(code: .internal, message: "compressed message received without grpc-encoding")
        }
        if let inbound = call.io?.inbound {
            inbound.append(message)
        } else if call.request == nil {
            call.request = message
        } else {
            throw RPCError(code: .unimplemented, message: "more than one request message for a unary request")
        }
    }

    private func requestEnded(_ call: ServerStream) {
        guard !call.remoteEnded else { return }
        call.remoteEnded = true
        guard !call.finished else { return }
        guard call.deframer.isAtMessageBoundary else {
            return fail(call, RPCError(code: .internal, message: "request stream ended inside a message"))
        }
        switch call.phase {
        case .awaitingRequest:
            if call.request == nil {
                fail(call, RPCError(code: .unimplemented, message: "no request message for a unary request"))
            } else {
                launch(call)
            }
        case .running:
            call.io?.inbound?.finish(.success(()))
        case .receivingHeaders, .rejected:
            break
        }
    }

    /// Stops a call on the server's initiative (deadline, bad input) and sends its status.
    private func fail(_ call: ServerStream, _ error: RPCError) {
        guard !call.finished else { return }
        call.cancelHandler(error)
        completeCall(stream: call.id, lastMessage: nil, headers: nil, status: error.status, trailers: error.metadata)
    }

    private func reject(_ call: ServerStream, _ status: Status, extraHeaders: Metadata = [:]) {
        call.phase = .rejected
        call.finished = true
        var block = HeaderBlock()
        block.add(":status", "200")
        block.add("content-type", GRPCHeaders.contentType)
        for entry in extraHeaders { if case .string(let value) = entry.value { block.add(entry.key, value) } }
        GRPCHeaders.appendStatus(status, trailers: [:], to: &block)
        session?.submitResponse(stream: call.id, headers: block, hasBody: false)
        scheduleFlush()
    }

    private func rejectHTTP(_ call: ServerStream, status: Int) {
        call.phase = .rejected
        call.finished = true
        var block = HeaderBlock()
        block.add(":status", String(status))
        session?.submitResponse(stream: call.id, headers: block, hasBody: false)
        scheduleFlush()
    }

    // MARK: From handler tasks (via ServerCallIO, on the event loop)

    func sendMessage(stream: Int32, _ buffer: ByteBuffer, headers: Metadata?) {
        guard let call = streams[stream], !call.finished else { return }
        if let headers { submitResponseHeaders(call, headers) }
        call.outbound.append(buffer)
        lifetime?.messageSent()
        resumeIfDeferred(call)
        scheduleFlush()
    }

    func completeCall(stream: Int32, lastMessage: ByteBuffer?, headers: Metadata?, status: Status, trailers: Metadata) {
        guard let call = streams[stream], !call.finished else { return }
        call.finished = true
        call.deadlineTimer?.cancel()
        call.deadlineTimer = nil
        call.gate.close(RPCError(code: .cancelled, message: "call already finished"))
        if call.headersSent || lastMessage != nil {
            if !call.headersSent { submitResponseHeaders(call, headers ?? [:]) }
            if let lastMessage { call.outbound.append(lastMessage) }
            var block = HeaderBlock()
            GRPCHeaders.appendStatus(status, trailers: trailers, to: &block)
            call.pendingTrailers = block
            resumeIfDeferred(call)
        } else {
            // Trailers-Only: one HEADERS frame with END_STREAM.
            var block = HeaderBlock()
            block.add(":status", "200")
            block.add("content-type", GRPCHeaders.contentType)
            if let headers { MetadataCoding.append(headers, to: &block) }
            GRPCHeaders.appendStatus(status, trailers: trailers, to: &block)
            session?.submitResponse(stream: stream, headers: block, hasBody: false)
        }
        scheduleFlush()
    }

    func returnWindow(stream: Int32, bytes: Int) {
        guard let session, streams[stream] != nil else { return }
        session.consumeStream(stream, bytes)
        scheduleFlush()
    }

    private func submitResponseHeaders(_ call: ServerStream, _ metadata: Metadata) {
        guard !call.headersSent else { return }
        call.headersSent = true
        var block = HeaderBlock()
        block.add(":status", "200")
        block.add("content-type", GRPCHeaders.contentType)
        if let encoding = call.io?.responseEncoding, encoding != .identity {
            block.add("grpc-encoding", encoding.name)
        }
        block.add("grpc-accept-encoding", GRPCHeaders.acceptEncodingValue)
        MetadataCoding.append(metadata, to: &block)
        session?.submitResponse(stream: call.id, headers: block, hasBody: true)
    }

    private func resumeIfDeferred(_ call: ServerStream) {
        guard call.outbound.isDeferred else { return }
        call.outbound.isDeferred = false
        session?.resumeData(stream: call.id)
    }

    private static func describe(_ address: SocketAddress?) -> String {
        switch address {
        case .v4(let address)?: "ipv4:\(address.host):\(address.address.sin_port.bigEndian)"
        case .v6(let address)?: "ipv6:[\(address.host)]:\(address.address.sin6_port.bigEndian)"
        case .unixDomainSocket?: "unix:\(address?.pathname ?? "")"
        case nil: "unknown"
        }
    }
}

extension ServerConnectionHandler: ConnectionLifetimeEvents {
    func lifetimeRequestsGracefulShutdown(grace: Duration) {
        beginGracefulShutdown(grace: grace)
    }

    func lifetimeRequestsKeepalivePing() {
        session?.submitPing()
        flush()
    }

    func lifetimeRequestsClose() {
        context?.close(promise: nil)
    }

    func lifetimeRequestsAbort(reason: String) {
        guard let session else { return }
        session.submitGoAway(
            lastStreamID: session.lastProcessedStreamID, errorCode: HTTP2ErrorCode.enhanceYourCalm, debugData: reason)
        closeAfterFlush = true
        flush()
        // flush() leaves frames queued for a peer that does not read; close regardless.
        if context?.channel.isWritable == false { context?.close(promise: nil) }
    }
}

/// Asks a connection to drain: GOAWAY, let calls finish for up to `gracePeriod`, close.
struct GracefulShutdownEvent: Sendable {
    var gracePeriod: Duration
}

extension Duration {
    /// Whole nanoseconds, saturating.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? (seconds < 0 ? .min : .max) : product.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}
