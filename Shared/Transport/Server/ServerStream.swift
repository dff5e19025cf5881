import NIOCore
import RPCCore

/// Server-side state of one HTTP/2 stream (one call). Event-loop confined; owned by the
/// connection handler's stream table.
final class ServerStream {
    enum Phase {
        /// Collecting request HEADERS.
        case receivingHeaders
        /// Unary / server-streaming: collecting the single request before starting the handler.
        case awaitingRequest
        /// The handler task runs.
        case running
        /// A response was decided without a handler (415, UNIMPLEMENTED…) or the call failed early.
        case rejected
    }

    let id: Int32
    var phase = Phase.receivingHeaders
    var head = RequestHead()
    var deframer: GRPCMessageDeframer
    var requestEncoding = CompressionAlgorithm.identity
    var handler: (any RPCMethodHandler)?
    var context: ServerContext?
    var io: ServerCallIO?
    /// The single request of a unary or server-streaming call.
    var request: FramedMessage?
    var task: Task<Void, Never>?
    var deadlineTimer: Scheduled<Void>?
    var outbound = OutboundDataQueue()
    var gate = OutboundFlowGate()
    var headersSent = false
    /// Trailers to send once `outbound` has drained.
    var pendingTrailers: HeaderBlock?
    /// The final status has been decided; later sends are dropped.
    var finished = false
    var remoteEnded = false

    init(id: Int32, maxMessageSize: Int) {
        self.id = id
        self.deframer = GRPCMessageDeframer(maxMessageSize: maxMessageSize)
    }

    var clientStreams: Bool { handler?.descriptor.kind.clientStreams ?? false }

    /// Stops the handler: its task is cancelled, its reads and writes fail with `error`.
    func cancelHandler(_ error: RPCError) {
        context?.markCancelled()
        task?.cancel()
        io?.inbound?.finish(.failure(error), discardingQueued: true)
        gate.close(error)
        deadlineTimer?.cancel()
        deadlineTimer = nil
    }
}
