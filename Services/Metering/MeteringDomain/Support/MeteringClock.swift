import Foundation

/// Where the domain reads "now" from: the system clock in the service, a fixed instant in tests
/// (future-timestamp rejects and "expected intervals up to now" depend on it).
public struct MeteringClock: Sendable {
    public let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) { self.now = now }

    public static let system = MeteringClock { Date() }

    /// Whole seconds since 1970 (readings are stored with second resolution).
    public func epochSeconds() -> Int64 { Int64(now().timeIntervalSince1970.rounded(.down)) }

    public func epochMilliseconds() -> Int64 { Int64((now().timeIntervalSince1970 * 1000).rounded(.down)) }
}
