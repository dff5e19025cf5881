import Synchronization

/// A channel's client keepalive interval. It starts at the configured time and doubles each
/// time a server answers our PINGs with GOAWAY ENHANCE_YOUR_CALM "too_many_pings" (gRFC A8),
/// so that every later connection of the channel pings less often instead of being cut off
/// again and again.
final class KeepaliveInterval: Sendable {
    private let nanoseconds: Atomic<Int64>

    init(_ time: Duration) {
        nanoseconds = Atomic(max(1, time.nanoseconds))
    }

    var current: Duration { .nanoseconds(nanoseconds.load(ordering: .relaxed)) }

    /// Doubles the interval (saturating).
    func backOff() {
        var value = nanoseconds.load(ordering: .relaxed)
        while true {
            let (doubled, overflow) = value.multipliedReportingOverflow(by: 2)
            let (exchanged, original) = nanoseconds.compareExchange(
                expected: value, desired: overflow ? .max : doubled, ordering: .relaxed)
            if exchanged { return }
            value = original
        }
    }
}
