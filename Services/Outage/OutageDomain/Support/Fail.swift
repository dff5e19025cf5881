import ServiceKit

/// The statuses the outage rules throw: ServiceKit's shared vocabulary.
typealias Fail = ServiceKit.Fail
