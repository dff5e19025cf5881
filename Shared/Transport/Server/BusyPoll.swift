import NIOCore

/// Keeps a connection's event loop polling its sockets without sleeping for a short window
/// after the connection wrote, so that the next request of a client waiting for our answer is
/// read at once instead of after a wake-up from idle.
///
/// Why: a thread that blocks in `epoll_wait` lets its CPU go idle, and waking an idle CPU is
/// slow on some machines; on a VM whose idle vCPU halts into the hypervisor (cpuidle haltpoll
/// with guest_halt_poll_ns 0) it costs ~25 µs per call at one call in flight, a quarter of a
/// loopback round trip. While the poller has a task queued, NIO polls with a zero timeout
/// instead of blocking. The price is CPU: after every write the loop spins for up to `window`
/// when nothing else arrives. Off unless `ServerConfiguration.busyPollWindow` is set.
final class BusyPoller {
    private let eventLoop: any EventLoop
    private let window: TimeAmount
    private var deadline = NIODeadline.uptimeNanoseconds(0)
    private var spinning = false

    init(eventLoop: any EventLoop, window: Duration) {
        self.eventLoop = eventLoop
        self.window = .nanoseconds(window.nanoseconds)
    }

    /// The connection wrote: keep polling until `window` from now.
    func extend() {
        deadline = .now() + window
        guard !spinning else { return }
        spinning = true
        spin()
    }

    /// The connection closed: stop at the next turn.
    func stop() {
        deadline = .uptimeNanoseconds(0)
    }

    private func spin() {
        guard NIODeadline.now() < deadline else {
            spinning = false
            return
        }
        // A task due in a moment makes the loop poll with a zero (or µs) timeout instead of
        // sleeping. Not `execute`: NIO drains immediate tasks, including ones they enqueue,
        // before it polls again, so a self-enqueuing task would spin without ever polling.
        // A due task can still be run again before the poll when one turn takes longer than
        // the 2 µs (slow debug builds): then I/O waits for the rest of the window, which is
        // why the window must stay short (ServiceOptions caps it at 1 ms).
        eventLoop.assumeIsolated().scheduleTask(deadline: .now() + .microseconds(2)) { self.spin() }
    }
}
