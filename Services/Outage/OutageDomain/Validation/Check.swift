import ServiceKit

/// Field checks the outage rules use: ServiceKit's shared ones, each throwing INVALID_ARGUMENT naming the field.
typealias Check = FieldCheck
