import NIOCore

/// Runs a call's handler task on its connection's event loop (Swift task executor preference).
///
/// Why: with `Task {}` every call hopped from the event loop to the global concurrency pool and
/// back — two thread wake-ups per unary call. At one call in flight a `perf` profile of
/// interop-server put over half of the server's samples in the kernel's task-switch and wake-up
/// paths. On the loop the request, the handler and the response stay on one thread.
///
/// Handlers must not block the thread: the store already runs its SQLite work on its own
/// threads and handlers await it; CPU-heavy handlers can opt out with
/// `ServerConfiguration.runsHandlersOnEventLoop = false`.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
