import NIOCore
import RPCCore
import Synchronization

/// Messages received on one stream, waiting for the task that reads them.
///
/// The event loop appends; one reader task takes. Flow control: the stream's HTTP/2 window is
/// only returned (via `returnWindow`, on the event loop) for bytes the reader has taken once
/// more than `highWatermark` bytes are waiting, so a handler that stops reading stops its
/// peer after one window, and a reader that keeps up never waits for a hop.
final class InboundMessageQueue: Sendable {
    private struct State {
        var messages = CircularBuffer<FramedMessage>(initialCapacity: 4)
        var bufferedBytes = 0
        /// Received bytes whose window we still owe the peer.
        var owedWindow = 0
        var end: Result<Void, RPCError>?
        var waiter: CheckedContinuation<FramedMessage?, any Error>?
    }

    private let state = Mutex(State())
    private let highWatermark: Int
    /// Called on the event loop with the number of bytes whose window to return.
    private let returnWindow: @Sendable (Int) -> Void
    private let eventLoop: any EventLoop

    init(eventLoop: any EventLoop, highWatermark: Int = 256 << 10, returnWindow: @escaping @Sendable (Int) -> Void) {
        self.eventLoop = eventLoop
        self.highWatermark = highWatermark
        self.returnWindow = returnWindow
    }

    // MARK: Event loop side

    /// Records `count` received payload bytes; returns how many may be returned to the
    /// peer's window right away.
    func received(bytes count: Int) -> Int {
        state.withLock { state in
            if state.bufferedBytes < highWatermark { return count }
            state.owedWindow += count
            return 0
        }
    }

    func append(_ message: FramedMessage) {
        let waiter: CheckedContinuation<FramedMessage?, any Error>? = state.withLock { state in
            guard state.end == nil else { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.messages.append(message)
            state.bufferedBytes += message.payload.readableBytes
            return nil
        }
        waiter?.resume(returning: message)
    }

    /// Ends the stream: cleanly (`.success`), or with the error the reader sees after the
    /// messages already queued (or instead of them, when `discardingQueued`).
    func finish(_ result: Result<Void, RPCError>, discardingQueued: Bool = false) {
        let waiter: CheckedContinuation<FramedMessage?, any Error>? = state.withLock { state in
            guard state.end == nil else { return nil }
            state.end = result
            if discardingQueued { state.messages.removeAll() }
            defer { state.waiter = nil }
            return state.waiter
        }
        switch result {
        case .success: waiter?.resume(returning: nil)
        case .failure(let error): waiter?.resume(throwing: error)
        }
    }

    // MARK: Reader side

    /// The next message, nil at a clean end; throws the stream's error or on task cancellation.
    func next() async throws -> FramedMessage? {
        enum Immediate { case message(FramedMessage, owed: Int), end(Result<Void, RPCError>), wait }
        let immediate: Immediate = state.withLock { state in
            if let (message, owed) = Self.pop(&state, highWatermark: highWatermark) { return .message(message, owed: owed) }
            if let end = state.end { return .end(end) }
            return .wait
        }
        switch immediate {
        case .message(let message, let owed):
            if owed > 0 {
                let returnWindow = self.returnWindow
                eventLoop.execute { returnWindow(owed) }
            }
            return message
        case .end(let end):
            try end.get()
            return nil
        case .wait:
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    let early: Result<FramedMessage?, any Error>? = state.withLock { state in
                        if let (message, owed) = Self.pop(&state, highWatermark: highWatermark) {
                            if owed > 0 {
                                let returnWindow = self.returnWindow
                                eventLoop.execute { returnWindow(owed) }
                            }
                            return .success(message)
                        }
                        if let end = state.end { return end.map { nil }.mapError { $0 } }
                        if Task.isCancelled { return .failure(CancellationError()) }
                        state.waiter = continuation
                        return nil
                    }
                    if let early { continuation.resume(with: early) }
                }
            } onCancel: {
                let waiter = state.withLock { state in
                    defer { state.waiter = nil }
                    return state.waiter
                }
                waiter?.resume(throwing: CancellationError())
            }
        }
    }

    /// Takes the first queued message and, once the backlog is under the watermark, the window
    /// owed to the peer.
    private static func pop(_ state: inout State, highWatermark: Int) -> (FramedMessage, owed: Int)? {
        guard let message = state.messages.popFirst() else { return nil }
        state.bufferedBytes -= message.payload.readableBytes
        guard state.bufferedBytes < highWatermark, state.owedWindow > 0 else { return (message, 0) }
        defer { state.owedWindow = 0 }
        return (message, state.owedWindow)
    }
}
