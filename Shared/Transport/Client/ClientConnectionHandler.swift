import CNGHTTP2
import NIOCore
import RPCCore

/// What a client connection tells its owner (the subchannel). Called on the event loop.
struct ClientConnectionEvents: Sendable {
    /// The server sent GOAWAY: no new calls on this connection.
    var goingAway: @Sendable () -> Void
    /// The connection is closed.
    var closed: @Sendable () -> Void
}

/// Carries gRPC calls over one HTTP/2 client connection: owns the nghttp2 client session and
/// the connection's streams. Event-loop confined.
final class ClientConnectionHandler: ChannelInboundHandler, HTTP2SessionDelegate {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let settings: HTTP2Session.Settings
    private let keepalive: ClientKeepalive?
    private let keepaliveInterval: KeepaliveInterval?
    private let events: ClientConnectionEvents
    private var session: HTTP2Session?
    private var context: ChannelHandlerContext?
    private var streams: [Int32: ClientStream] = [:]
    private var flushScheduled = false
    private var goingAway = false
    private var keepaliveTimer: Scheduled<Void>?
    private var pingTimeout: Scheduled<Void>?

    init(
        settings: HTTP2Session.Settings, keepalive: ClientKeepalive?, keepaliveInterval: KeepaliveInterval?,
        events: ClientConnectionEvents
    ) {
        self.settings = settings
        self.keepalive = keepalive
        self.keepaliveInterval = keepaliveInterval
        self.events = events
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        do {
            session = try HTTP2Session(role: .client, delegate: self, settings: settings)
        } catch {
            context.close(promise: nil)
            return
        }
        scheduleKeepalive()
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
        if !session.receive(unwrapInboundIn(data)) {
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

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func tearDown() {
        keepaliveTimer?.cancel()
        keepaliveTimer = nil
        pingTimeout?.cancel()
        pingTimeout = nil
        let remaining = streams.values
        streams.removeAll()
        for stream in remaining {
            stream.complete(CallOutcome(
                status: Status(code: .unavailable, message: "connection closed"), trailers: [:], pushback: nil))
        }
        if session != nil {
            session = nil
            events.closed()
        }
    }

    // MARK: Writing

    private func scheduleFlush() {
        guard !flushScheduled, let context else { return }
        flushScheduled = true
        context.eventLoop.assumeIsolated().execute { [self] in
            flushScheduled = false
            flush()
        }
    }

    private func flush() {
        guard let context, let session, context.channel.isActive, context.channel.isWritable else { return }
        var buffer = context.channel.allocator.buffer(capacity: 4096)
        let ok = session.drainOutput(into: &buffer)
        if buffer.readableBytes > 0 {
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        }
        if !ok || (!session.wantsRead && !session.wantsWrite) || (goingAway && streams.isEmpty) {
            context.close(promise: nil)
        }
    }

    private func scheduleKeepalive() {
        guard let keepalive, let context else { return }
        let interval = keepaliveInterval?.current ?? keepalive.time
        keepaliveTimer = context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(interval.nanoseconds)) { [self] in
            sendKeepalivePing()
            scheduleKeepalive()
        }
    }

    private func sendKeepalivePing() {
        guard let session, let keepalive, let context, pingTimeout == nil,
              keepalive.permitWithoutCalls || !streams.isEmpty else { return }
        session.submitPing()
        pingTimeout = context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(keepalive.timeout.nanoseconds)) { [self] in
            // No PING ack in time: the connection is dead even if TCP has not noticed.
            self.context?.close(promise: nil)
        }
        flush()
    }

    // MARK: From calling tasks (via ClientStreamIO, on the event loop)

    func start(_ stream: ClientStream, headers: HeaderBlock, message: ByteBuffer?, endRequests: Bool) {
        guard let session, let context, !goingAway else {
            stream.complete(CallOutcome(
                status: Status(code: .unavailable, message: "connection is closing"), trailers: [:], pushback: nil, refused: true))
            return
        }
        if let message { stream.outbound.append(message) }
        stream.requestsEnded = endRequests
        let id = session.submitRequest(headers: headers)
        guard id > 0 else {
            stream.complete(CallOutcome(
                status: Status(code: .unavailable, message: "cannot open a stream (\(id))"), trailers: [:], pushback: nil, refused: true))
            return
        }
        stream.id = id
        stream.shared.id = id
        streams[id] = stream
        if let remaining = stream.deadline.remaining {
            stream.deadlineTimer = context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(remaining.nanoseconds)) { [self] in
                cancel(stream, RPCError(code: .deadlineExceeded, message: "deadline exceeded"))
            }
        }
        scheduleFlush()
    }

    func send(_ stream: ClientStream, _ buffer: ByteBuffer) {
        guard !stream.finished, stream.id > 0 else { return }
        stream.outbound.append(buffer)
        resumeIfDeferred(stream)
        scheduleFlush()
    }

    func endRequests(_ stream: ClientStream) {
        guard !stream.finished, !stream.requestsEnded, stream.id > 0 else { return }
        stream.requestsEnded = true
        resumeIfDeferred(stream)
        scheduleFlush()
    }

    func cancel(_ stream: ClientStream, _ error: RPCError) {
        guard !stream.finished else { return }
        if stream.id > 0 { session?.resetStream(stream.id, errorCode: HTTP2ErrorCode.cancel) }
        stream.complete(CallOutcome(status: error.status, trailers: error.metadata, pushback: nil))
        scheduleFlush()
    }

    func returnWindow(stream: Int32, bytes: Int) {
        guard let session, streams[stream] != nil else { return }
        session.consumeStream(stream, bytes)
        scheduleFlush()
    }

    private func resumeIfDeferred(_ stream: ClientStream) {
        guard stream.outbound.isDeferred else { return }
        stream.outbound.isDeferred = false
        session?.resumeData(stream: stream.id)
    }

    // MARK: Session events (inside nghttp2 calls; never close or free the session here)

    func beginHeaders(stream: Int32) {
        streams[stream]?.head = ResponseHead()
    }

    func header(stream: Int32, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> Bool {
        streams[stream]?.head.add(name: name, value: value)
        return true
    }

    func headersComplete(stream id: Int32, endStream: Bool) {
        guard let stream = streams[id], !stream.finished else { return }
        let head = stream.head
        if stream.headersReceived || endStream {
            // Trailers, or a Trailers-Only response.
            if !endStream { return }
            stream.complete(CallOutcome(status: head.status, trailers: head.metadata, pushback: head.pushbackDelay))
            return
        }
        if head.httpStatus != 200 {
            return fail(stream, head.status)
        }
        guard GRPCHeaders.isGRPCContentType(head.contentType) else {
            return fail(stream, Status(code: .unknown, message: "invalid content-type \(head.contentType ?? "none")"))
        }
        if let encoding = head.encoding, encoding != "identity" {
            guard let algorithm = GRPCHeaders.encoding(named: encoding) else {
                return fail(stream, Status(code: .internal, message: "unsupported response encoding \(encoding)"))
            }
            stream.shared.responseEncoding = algorithm
        }
        stream.headersReceived = true
        stream.startPromise.succeed(.headers(head.metadata))
    }

    func dataChunk(stream id: Int32, bytes: UnsafeRawBufferPointer) {
        guard let session else { return }
        session.consumeConnection(bytes.count)
        guard let stream = streams[id], !stream.finished, stream.headersReceived else {
            session.consumeStream(id, bytes.count)
            return
        }
        stream.deframer.append(bytes, allocator: context!.channel.allocator)
        session.consumeStream(id, stream.inbound.received(bytes: bytes.count))
        do {
            while let message = try stream.deframer.next() {
                if message.compressed && stream.shared.responseEncoding == .identity {
                    throw RPCError(code: .internal, message: "compressed message received without grpc-encoding")
                }
                stream.inbound.append(message)
            }
        } catch {
            fail(stream, RPCError(from: error).status)
        }
    }

    func dataEndStream(stream id: Int32) {
        guard let stream = streams[id], !stream.finished else { return }
        stream.complete(CallOutcome(
            status: Status(code: .internal, message: "server ended the stream without trailers"), trailers: [:], pushback: nil))
    }

    func streamClosed(stream id: Int32, errorCode: UInt32) {
        guard let stream = streams.removeValue(forKey: id) else { return }
        if !stream.finished {
            stream.complete(Self.outcome(forReset: errorCode))
        }
        if goingAway && streams.isEmpty { scheduleFlush() }
    }

    func goAwayReceived(lastStreamID: Int32, errorCode: UInt32, debugData: [UInt8]) {
        if errorCode == HTTP2ErrorCode.enhanceYourCalm && debugData == Array("too_many_pings".utf8) {
            // gRFC A8: we pinged too often for this server; the channel's next connections
            // ping half as often.
            keepaliveInterval?.backOff()
        }
        guard !goingAway else { return }
        goingAway = true
        events.goingAway()
        scheduleFlush()
    }

    func pingReceived(ack: Bool) {
        if ack {
            pingTimeout?.cancel()
            pingTimeout = nil
        }
    }

    func readData(stream id: Int32, into buffer: UnsafeMutableRawBufferPointer, flags: inout UInt32) -> Int? {
        guard let stream = streams[id] else {
            flags |= NGHTTP2_DATA_FLAG_EOF.rawValue
            return 0
        }
        let written = stream.outbound.read(into: buffer)
        if written > 0 { stream.gate.released(written) }
        if stream.outbound.isEmpty && stream.requestsEnded {
            flags |= NGHTTP2_DATA_FLAG_EOF.rawValue
            return written
        }
        if written == 0 {
            stream.outbound.isDeferred = true
            return nil
        }
        return written
    }

    /// Ends a call on the client's initiative (bad response) and resets its stream.
    private func fail(_ stream: ClientStream, _ status: Status) {
        session?.resetStream(stream.id, errorCode: HTTP2ErrorCode.cancel)
        stream.complete(CallOutcome(status: status, trailers: [:], pushback: nil))
    }

    /// The status of a stream the server reset (doc/PROTOCOL-HTTP2.md, "Errors").
    private static func outcome(forReset errorCode: UInt32) -> CallOutcome {
        let status: Status
        var refused = false
        switch errorCode {
        case HTTP2ErrorCode.noError: status = Status(code: .internal, message: "stream closed without a status")
        case HTTP2ErrorCode.refusedStream:
            status = Status(code: .unavailable, message: "stream refused by the server")
            refused = true
        case HTTP2ErrorCode.cancel: status = Status(code: .cancelled, message: "stream cancelled by the server")
        case HTTP2ErrorCode.enhanceYourCalm: status = Status(code: .resourceExhausted, message: "server says: enhance your calm")
        case 0xC: status = Status(code: .permissionDenied, message: "inadequate security")
        default: status = Status(code: .internal, message: "stream reset by the server (HTTP/2 error \(errorCode))")
        }
        return CallOutcome(status: status, trailers: [:], pushback: nil, refused: refused)
    }
}
