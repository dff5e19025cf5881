/// A point on the monotonic clock by which a call must finish, or no deadline at all.
public struct Deadline: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `nil` means "no deadline".
    public let instant: ContinuousClock.Instant?

    public init(_ instant: ContinuousClock.Instant?) { self.instant = instant }

    /// No deadline.
    public static let distantFuture = Deadline(nil)

    /// The deadline `duration` from now.
    public static func after(_ duration: Duration) -> Deadline {
        Deadline(ContinuousClock.now.advanced(by: duration))
    }

    public var isDistantFuture: Bool { instant == nil }

    /// Time left until the deadline (negative once passed); `nil` when there is no deadline.
    public var remaining: Duration? {
        instant.map { ContinuousClock.now.duration(to: $0) }
    }

    public var isExpired: Bool {
        guard let instant else { return false }
        return instant <= ContinuousClock.now
    }

    /// The earlier of two deadlines (used to propagate a handler's deadline to calls it makes).
    public func earliest(_ other: Deadline) -> Deadline { min(self, other) }

    public static func < (lhs: Deadline, rhs: Deadline) -> Bool {
        switch (lhs.instant, rhs.instant) {
        case let (l?, r?): l < r
        case (_?, nil): true
        default: false
        }
    }

    public var description: String {
        remaining.map { "deadline in \($0)" } ?? "no deadline"
    }
}
