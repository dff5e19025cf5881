import Foundation
import Synchronization

/// Opaque resource ids with a readable prefix: `CUS-01JDQ8Y5ZK3M7R2VXN4T6B9C0A`.
///
/// The 26 characters after the dash are a ULID-style value in Crockford base32: 48 bits of
/// milliseconds since 1970, then 80 random bits. Ids of one process sort in creation order
/// (within the same millisecond the random part counts up), which keeps B-tree inserts at
/// the end of the index and lets lists page by id. Callers must treat ids as opaque.
public struct ResourceIDGenerator: Sendable {
    /// Characters after the prefix and dash.
    public static let bodyLength = 26

    private struct Last {
        var milliseconds: UInt64 = 0
        var high: UInt16 = 0  // top 16 of the 80 random bits
        var low: UInt64 = 0  // bottom 64
    }

    private let last = SharedLast()
    private let clock: @Sendable () -> UInt64

    /// `clock` returns milliseconds since 1970 (injectable for tests).
    public init(clock: @escaping @Sendable () -> UInt64 = ResourceIDGenerator.wallClockMilliseconds) {
        self.clock = clock
    }

    public static func wallClockMilliseconds() -> UInt64 {
        UInt64(max(0, Date().timeIntervalSince1970 * 1000))
    }

    /// A new id `PREFIX-…`; `prefix` is upper-case letters, e.g. `CUS`.
    public func make(prefix: String) -> String {
        let (milliseconds, high, low) = last.state.withLock { last -> (UInt64, UInt16, UInt64) in
            let now = clock()
            if now > last.milliseconds {
                var random = SystemRandomNumberGenerator()
                last = Last(milliseconds: now, high: random.next(), low: random.next())
            } else {
                // Same (or an earlier: the clock stepped back) millisecond: count up from the
                // last id so order holds. Overflowing 80 bits in one millisecond cannot happen.
                let (low, carry) = last.low.addingReportingOverflow(1)
                last.low = low
                if carry { last.high &+= 1 }
            }
            return (last.milliseconds, last.high, last.low)
        }
        var bytes = Array(prefix.utf8)
        bytes.reserveCapacity(bytes.count + 1 + Self.bodyLength)
        bytes.append(UInt8(ascii: "-"))
        CrockfordBase32.encode(milliseconds & 0xFFFF_FFFF_FFFF, digits: 10, into: &bytes)
        // 80 random bits = 16 digits: the high 16 bits and the first 4 of low make 4 digits.
        let top20 = UInt64(high) << 4 | low >> 60
        CrockfordBase32.encode(top20, digits: 4, into: &bytes)
        CrockfordBase32.encode(low & 0x0FFF_FFFF_FFFF_FFFF, digits: 12, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The process-wide generator.
    public static let shared = ResourceIDGenerator()

    private final class SharedLast: Sendable {
        let state = Mutex(Last())
    }
}

/// Checks and makes prefixed ids.
public enum ResourceID {
    /// A new id with `prefix` from the shared generator, e.g. `ResourceID.make("CUS")`.
    public static func make(_ prefix: String) -> String { ResourceIDGenerator.shared.make(prefix: prefix) }

    /// Whether `id` has the shape of an id with `prefix` (it may still not exist).
    public static func isWellFormed(_ id: String, prefix: String) -> Bool {
        let bytes = Array(id.utf8), head = Array(prefix.utf8)
        guard bytes.count == head.count + 1 + ResourceIDGenerator.bodyLength,
            bytes.starts(with: head), bytes[head.count] == UInt8(ascii: "-")
        else { return false }
        return bytes[(head.count + 1)...].allSatisfy(CrockfordBase32.isCanonicalDigit)
    }
}
