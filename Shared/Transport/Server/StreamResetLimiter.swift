import NIOCore

/// Rapid Reset defence (CVE-2023-44487): a token bucket over the RST_STREAM frames one client
/// sends. Every stream a client opens and resets costs us work but yields no response, so past
/// `burst` resets (refilled at `rate` per second) the connection gets GOAWAY ENHANCE_YOUR_CALM.
///
/// nghttp2 has the same limit but answers with INTERNAL_ERROR, which tells the peer we broke;
/// ours runs first, and nghttp2's (set looser) stays as a backstop.
struct StreamResetLimiter {
    let burst: UInt64
    let rate: UInt64
    private var tokens: UInt64
    private var lastRefill: NIODeadline

    init(burst: UInt64, rate: UInt64, now: NIODeadline = .now()) {
        self.burst = burst
        self.rate = rate
        self.tokens = burst
        self.lastRefill = now
    }

    /// nghttp2's limit: twice ours (saturating), so that ours always answers first.
    var nghttp2Backstop: (burst: UInt64, rate: UInt64) {
        (burst > .max / 2 ? .max : burst * 2, rate > .max / 2 ? .max : rate * 2)
    }

    /// Spends one token for a received RST_STREAM; false when none is left.
    mutating func allowReset(now: NIODeadline = .now()) -> Bool {
        let elapsedSeconds = UInt64(max(0, (now - lastRefill).nanoseconds / 1_000_000_000))
        if elapsedSeconds > 0 {
            let (refill, overflow) = elapsedSeconds.multipliedReportingOverflow(by: rate)
            tokens = overflow ? burst : min(burst, tokens &+ refill)
            lastRefill = lastRefill + .seconds(Int64(elapsedSeconds))
        }
        guard tokens > 0 else { return false }
        tokens -= 1
        return true
    }
}
