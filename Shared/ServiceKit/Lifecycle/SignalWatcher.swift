import Dispatch
import Foundation

/// Turns SIGTERM / SIGINT into a callback instead of the default "die now".
///
/// `@unchecked Sendable`: the dispatch sources are created in `init`, only touched again in
/// `stop()`, and dispatch sources are themselves thread-safe.
public final class SignalWatcher: @unchecked Sendable {
    private let sources: [(number: Int32, source: any DispatchSourceSignal)]

    public init(signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "servicekit.signals")
        // A parent may have started us with these signals blocked (the mask is inherited, e.g.
        // from a test runner's thread); unblock them or they would never arrive.
        var mask = sigset_t()
        sigemptyset(&mask)
        for number in signals { sigaddset(&mask, number) }
        pthread_sigmask(SIG_UNBLOCK, &mask, nil)
        sources = signals.map { number in
            // Ignore the default disposition first, or the process ends before the source sees it.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(number) }
            source.resume()
            return (number, source)
        }
    }

    /// Stops watching and gives the signals their default behaviour back.
    public func stop() {
        for (number, source) in sources {
            source.cancel()
            signal(number, SIG_DFL)
        }
    }

    public static func name(of number: Int32) -> String {
        switch number {
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT"
        default: "signal \(number)"
        }
    }
}
