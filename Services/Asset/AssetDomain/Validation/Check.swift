import ServiceKit

/// Field checks the asset rules use: ServiceKit's shared ones, each throwing INVALID_ARGUMENT naming the field.
typealias Check = FieldCheck
