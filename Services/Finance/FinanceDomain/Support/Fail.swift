import ServiceKit

/// The statuses the finance rules throw: ServiceKit's shared vocabulary.
typealias Fail = ServiceKit.Fail
