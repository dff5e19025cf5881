import NIOCore
import RPCCore

/// How a call attempt ended, as the channel's retry logic needs to know it.
struct CallOutcome: Sendable {
    var status: Status
    var trailers: Metadata
    /// `grpc-retry-pushback-ms` (negative: do not retry).
    var pushback: Duration?
    /// The server never saw the call (REFUSED_STREAM, GOAWAY, connection not usable):
    /// safe to retry transparently.
    var refused: Bool = false

    var rpcError: RPCError { RPCError(status: status, metadata: trailers) }
}

/// The first thing a response brings: its headers, or (Trailers-Only, refusal, failure)
/// its end.
enum ResponseStart: Sendable {
    case headers(Metadata)
    case ended(CallOutcome)

    var metadata: Metadata {
        if case .headers(let metadata) = self { return metadata }
        return [:]
    }
}

/// Client-side state of one HTTP/2 stream (one call attempt). Created by the calling task,
/// then handed to the connection's event loop, which alone touches it afterwards.
final class ClientStream {
    var id: Int32 = -1
    var deframer: GRPCMessageDeframer
    var head = ResponseHead()
    var headersReceived = false
    var outbound = OutboundDataQueue()
    /// The caller half-closed: END_STREAM goes with the last queued DATA.
    var requestsEnded = false
    var finished = false
    var deadlineTimer: Scheduled<Void>?
    let deadline: Deadline
    let inbound: InboundMessageQueue
    let gate: OutboundFlowGate
    let shared: ClientStreamShared
    let startPromise: EventLoopPromise<ResponseStart>
    let outcomePromise: EventLoopPromise<CallOutcome>

    init(
        maxReceiveMessageSize: Int, deadline: Deadline, inbound: InboundMessageQueue, gate: OutboundFlowGate,
        shared: ClientStreamShared, startPromise: EventLoopPromise<ResponseStart>,
        outcomePromise: EventLoopPromise<CallOutcome>
    ) {
        self.deframer = GRPCMessageDeframer(maxMessageSize: maxReceiveMessageSize)
        self.deadline = deadline
        self.inbound = inbound
        self.gate = gate
        self.shared = shared
        self.startPromise = startPromise
        self.outcomePromise = outcomePromise
    }

    /// Ends the attempt once: readers see the status after queued messages, writers fail.
    func complete(_ outcome: CallOutcome) {
        guard !finished else { return }
        finished = true
        deadlineTimer?.cancel()
        deadlineTimer = nil
        shared.finished = true
        if !headersReceived { startPromise.succeed(.ended(outcome)) }
        inbound.finish(outcome.status.isOK ? .success(()) : .failure(outcome.rpcError))
        gate.close(outcome.status.isOK ? RPCError(code: .internal, message: "call already finished") : outcome.rpcError)
        outcomePromise.succeed(outcome)
    }
}
