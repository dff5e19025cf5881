import ServiceKit

/// The statuses the asset rules throw: ServiceKit's shared vocabulary.
typealias Fail = ServiceKit.Fail
