import NIOCore
import ProtoRuntime
import RPCCore
import Synchronization

/// The handler task's side of one call: decoding requests, encoding responses and handing
/// them to the connection's event loop. Everything that touches nghttp2 happens in
/// `ServerConnectionHandler`, on the event loop; this type only schedules work there.
final class ServerCallIO: Sendable {
    let streamID: Int32
    let eventLoop: any EventLoop
    private let connection: NIOLoopBound<ServerConnectionHandler>
    let gate: OutboundFlowGate
    let inbound: InboundMessageQueue?
    let requestEncoding: CompressionAlgorithm
    let responseEncoding: CompressionAlgorithm
    private let maxReceiveMessageSize: Int
    private let maxSendMessageSize: Int
    private let allocator: ByteBufferAllocator
    /// True until the response headers have been handed over (they go with the first message).
    private let headersPending = Atomic<Bool>(true)

    init(
        streamID: Int32, eventLoop: any EventLoop, connection: NIOLoopBound<ServerConnectionHandler>,
        gate: OutboundFlowGate, inbound: InboundMessageQueue?, requestEncoding: CompressionAlgorithm,
        responseEncoding: CompressionAlgorithm, maxReceiveMessageSize: Int, maxSendMessageSize: Int,
        allocator: ByteBufferAllocator
    ) {
        self.streamID = streamID
        self.eventLoop = eventLoop
        self.connection = connection
        self.gate = gate
        self.inbound = inbound
        self.requestEncoding = requestEncoding
        self.responseEncoding = responseEncoding
        self.maxReceiveMessageSize = maxReceiveMessageSize
        self.maxSendMessageSize = maxSendMessageSize
        self.allocator = allocator
    }

    func decode<Message: ProtoMessage>(
        _ framed: FramedMessage, as type: Message.Type = Message.self, context: ServerContext
    ) throws(RPCError) -> Message {
        context.recordRequestMessage(compressed: framed.compressed)
        return try MessageCodec.decode(
            framed, as: Message.self, encoding: requestEncoding, limit: maxReceiveMessageSize, allocator: allocator)
    }

    func encode<Message: ProtoMessage>(_ message: Message, context: ServerContext) throws(RPCError) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 0)
        let compression = context.compressesResponses ? responseEncoding : .identity
        try GRPCMessageFramer.write(message, into: &buffer, compression: compression, maxMessageSize: maxSendMessageSize)
        return buffer
    }

    /// The request stream of a client- or bidi-streaming call.
    func requests<Message: ProtoMessage>(of type: Message.Type, context: ServerContext) -> RPCAsyncSequence<Message> {
        let inbound = self.inbound!
        return RPCAsyncSequence {
            RPCAsyncSequence.AsyncIterator { [self] in
                guard let framed = try await inbound.next() else { return nil }
                return try decode(framed, as: Message.self, context: context)
            }
        }
    }

    /// Sends one response message, waiting first if the client is not keeping up.
    func send(_ buffer: ByteBuffer, context: ServerContext) async throws {
        try await gate.reserve(buffer.readableBytes)
        let headers = headersPending.exchange(false, ordering: .relaxed) ? context.takeResponseHeaders() : nil
        let connection = self.connection, streamID = self.streamID
        onConnectionLoop { connection.value.sendMessage(stream: streamID, buffer, headers: headers) }
    }

    /// Ends the call with `status`, after an optional last message.
    func finish(lastMessage: ByteBuffer?, status: Status, context: ServerContext, extraTrailers: Metadata = [:]) {
        let headers = headersPending.exchange(false, ordering: .relaxed) ? context.takeResponseHeaders() : nil
        var allTrailers = context.takeTrailers()
        allTrailers.merge(extraTrailers)
        let trailers = allTrailers
        let connection = self.connection, streamID = self.streamID
        onConnectionLoop {
            connection.value.completeCall(
                stream: streamID, lastMessage: lastMessage, headers: headers, status: status, trailers: trailers)
        }
    }

    /// Runs `body` on the connection's event loop: at once when already there (handlers run
    /// there by default), so there is no second trip through the loop's queue.
    private func onConnectionLoop(_ body: @escaping @Sendable () -> Void) {
        if eventLoop.inEventLoop { body() } else { eventLoop.execute(body) }
    }
}

/// Turning received payloads into messages.
enum MessageCodec {
    static func decode<Message: ProtoMessage>(
        _ framed: FramedMessage, as type: Message.Type, encoding: CompressionAlgorithm, limit: Int,
        allocator: ByteBufferAllocator
    ) throws(RPCError) -> Message {
        var payload = framed.payload
        if framed.compressed {
            guard encoding != .identity else {
                throw RPCError(code: .internal, message: "compressed message received without grpc-encoding")
            }
            payload = try Zlib.decompress(payload, algorithm: encoding, limit: limit, allocator: allocator)
        }
        // The deframer already refused larger prefixes; checked again here because protobuf-c
        // must never see more than the limit (it has no recursion or allocation limits).
        guard payload.readableBytes <= limit else {
            throw RPCError(
                code: .resourceExhausted, message: "received message larger than max (\(payload.readableBytes) vs. \(limit))")
        }
        do {
            return try payload.withUnsafeReadableBytes { try Message(protobufBytes: $0) }
        } catch {
            throw RPCError(code: .internal, message: "could not decode \(Message.protoMessageName): \(error)")
        }
    }
}
