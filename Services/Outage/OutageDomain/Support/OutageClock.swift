import Foundation
import ProtoRuntime
import ServiceKit

/// Where the outage rules read "now" from: the system clock in the service, a fixed instant in tests.
public struct OutageClock: Sendable {
    public let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) { self.now = now }

    public static let system = OutageClock { Date() }

    var timestamp: Timestamp { TimeColumns.timestamp(from: now()) }
}
