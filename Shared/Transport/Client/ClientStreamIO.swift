import Synchronization
import NIOCore
import ProtoRuntime
import RPCCore

/// The calling task's side of one call attempt. Everything that touches nghttp2 happens on
/// the connection's event loop; this type only schedules work there and awaits results.
final class ClientStreamIO: Sendable {
    private let eventLoop: any EventLoop
    private let connection: NIOLoopBound<ClientConnectionHandler>
    private let stream: NIOLoopBoundBox<ClientStream>
    let inbound: InboundMessageQueue
    let gate: OutboundFlowGate
    let start: EventLoopFuture<ResponseStart>
    let outcome: EventLoopFuture<CallOutcome>
    let shared: ClientStreamShared
    private let maxReceiveMessageSize: Int
    private let allocator: ByteBufferAllocator

    init(
        eventLoop: any EventLoop, connection: NIOLoopBound<ClientConnectionHandler>, maxReceiveMessageSize: Int,
        deadline: Deadline, allocator: ByteBufferAllocator
    ) {
        self.eventLoop = eventLoop
        self.connection = connection
        self.maxReceiveMessageSize = maxReceiveMessageSize
        self.allocator = allocator
        let shared = ClientStreamShared()
        self.shared = shared
        self.inbound = InboundMessageQueue(eventLoop: eventLoop) { bytes in
            connection.value.returnWindow(stream: shared.id, bytes: bytes)
        }
        self.gate = OutboundFlowGate()
        let startPromise = eventLoop.makePromise(of: ResponseStart.self)
        let outcomePromise = eventLoop.makePromise(of: CallOutcome.self)
        self.start = startPromise.futureResult
        self.outcome = outcomePromise.futureResult
        let stream = ClientStream(
            maxReceiveMessageSize: maxReceiveMessageSize, deadline: deadline, inbound: inbound, gate: gate,
            shared: shared, startPromise: startPromise, outcomePromise: outcomePromise)
        self.stream = NIOLoopBoundBox.makeBoxSendingValue(stream, eventLoop: eventLoop)
    }

    /// Opens the stream; a single request goes in the same hop, ending the request side.
    func open(headers: HeaderBlock, firstMessage: ByteBuffer?, endRequests: Bool) {
        let connection = self.connection, stream = self.stream
        eventLoop.execute {
            connection.value.start(stream.value, headers: headers, message: firstMessage, endRequests: endRequests)
        }
    }

    func send(_ buffer: ByteBuffer) async throws {
        try await gate.reserve(buffer.readableBytes)
        let connection = self.connection, stream = self.stream
        eventLoop.execute { connection.value.send(stream.value, buffer) }
    }

    func endRequests() {
        let connection = self.connection, stream = self.stream
        eventLoop.execute { connection.value.endRequests(stream.value) }
    }

    /// Resets the stream (RST_STREAM CANCEL) unless it already ended.
    func cancel(_ error: RPCError = RPCError(code: .cancelled, message: "call cancelled by the client")) {
        guard !shared.finished else { return }
        let connection = self.connection, stream = self.stream
        eventLoop.execute { connection.value.cancel(stream.value, error) }
    }

    func responses<Message: ProtoMessage>(of type: Message.Type) -> RPCAsyncSequence<Message> {
        RPCAsyncSequence {
            RPCAsyncSequence.AsyncIterator { [self] in
                guard let framed = try await inbound.next() else { return nil }
                return try MessageCodec.decode(
                    framed, as: Message.self, encoding: shared.responseEncoding, limit: maxReceiveMessageSize,
                    allocator: allocator)
            }
        }
    }
}

/// What the event loop publishes about a stream for the calling task to read without a hop.
final class ClientStreamShared: Sendable {
    private let rawID = Atomic<Int32>(-1)
    private let rawFinished = Atomic<Bool>(false)
    private let rawEncoding = Atomic<Int>(0)

    /// The stream id, known once the event loop submitted the request.
    var id: Int32 {
        get { rawID.load(ordering: .relaxed) }
        set { rawID.store(newValue, ordering: .relaxed) }
    }

    /// The attempt ended (status known); cancelling it is a no-op.
    var finished: Bool {
        get { rawFinished.load(ordering: .acquiring) }
        set { rawFinished.store(newValue, ordering: .releasing) }
    }

    /// The response's `grpc-encoding`, set when headers arrive, before any message is queued.
    var responseEncoding: CompressionAlgorithm {
        get { CompressionAlgorithm.allCases[rawEncoding.load(ordering: .relaxed)] }
        set { rawEncoding.store(CompressionAlgorithm.allCases.firstIndex(of: newValue)!, ordering: .relaxed) }
    }
}
