import Foundation
import ProtoRuntime
import QuantumTypes
import ServiceKit

/// The checks every resource's rules share. Each throws INVALID_ARGUMENT naming the field.
enum Check {
    /// Longest free text we store in a name-like field.
    static let maxNameLength = 200
    /// Longest free text we store in a note-like field.
    static let maxTextLength = 10_000

    static func required(_ value: String, _ field: String, max: Int = maxNameLength) throws(DomainError) {
        guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .invalid("\(field) is required")
        }
        try text(value, field, max: max)
    }

    static func text(_ value: String, _ field: String, max: Int = maxTextLength) throws(DomainError) {
        guard value.count <= max else { throw .invalid("\(field) is \(value.count) characters long; at most \(max) are allowed") }
    }

    /// An enum that must be set to a value this build knows.
    static func specified<E: ProtoEnum>(_ value: E, _ field: String) throws(DomainError) {
        guard value.rawValue != 0 else {
            throw .invalid("\(field) is required: one of \(EnumNames.shortNames(of: E.self).joined(separator: ", "))")
        }
        try known(value, field)
    }

    /// An enum that may be unset but not a number this build does not know.
    static func known<E: ProtoEnum>(_ value: E, _ field: String) throws(DomainError) {
        guard E.knownCases.contains(value) else { throw .invalid("\(field) has unknown value \(value.rawValue)") }
    }

    /// An id the request must carry, with the resource's prefix, e.g. `CUS-…`.
    static func id(_ value: String, prefix: String, _ field: String) throws(DomainError) {
        guard !value.isEmpty else { throw .invalid("\(field) is required") }
        try optionalID(value, prefix: prefix, field)
    }

    /// An id that may be empty; when set it must have the prefix's shape.
    static func optionalID(_ value: String, prefix: String, _ field: String) throws(DomainError) {
        guard value.isEmpty || ResourceID.isWellFormed(value, prefix: prefix) else {
            throw .invalid("\(field) '\(value)' is not a \(prefix)- id")
        }
    }

    static func money(_ value: Money?, _ field: String, allowNegative: Bool = false) throws(DomainError) {
        guard let value else { return }
        guard ContactFormats.isValidCurrencyCode(value.currencyCode) else {
            throw .invalid("\(field).currency_code '\(value.currencyCode)' is not an ISO-4217 code such as USD")
        }
        guard allowNegative || value.minorUnits >= 0 else { throw .invalid("\(field).minor_units must not be negative") }
    }

    static func date(_ value: CalendarDate?, _ field: String) throws(DomainError) {
        guard let value else { return }
        guard value.isValid else {
            throw .invalid("\(field) \(value.year)-\(value.month)-\(value.day) is not a valid calendar date")
        }
    }

    static func timestamp(_ value: Timestamp?, _ field: String) throws(DomainError) {
        guard let value else { return }
        guard value.isValid else { throw .invalid("\(field) is out of range") }
    }

    static func address(_ value: PostalAddress?, _ field: String, required: Bool) throws(DomainError) {
        guard let value else {
            if required { throw .invalid("\(field) is required") }
            return
        }
        let hasContent = !value.addressLines.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty })
            || !value.postalCode.isEmpty || !value.locality.isEmpty
        if required, !hasContent {
            throw .invalid("\(field) needs at least an address line, a locality or a postal code")
        }
        guard value.regionCode.isEmpty || ContactFormats.isValidRegionCode(value.regionCode) else {
            throw .invalid("\(field).region_code '\(value.regionCode)' is not a two-letter region code such as US")
        }
        try text(value.postalCode, "\(field).postal_code", max: 20)
        try text(value.administrativeArea, "\(field).administrative_area", max: maxNameLength)
        try text(value.locality, "\(field).locality", max: maxNameLength)
        for (index, line) in value.addressLines.enumerated() {
            try text(line, "\(field).address_lines[\(index)]", max: maxNameLength)
        }
    }

    static func geoPoint(_ value: GeoPoint?, _ field: String) throws(DomainError) {
        guard let value else { return }
        guard (-900_000_000...900_000_000).contains(value.latitudeE7) else {
            throw .invalid("\(field).latitude_e7 \(value.latitudeE7) is outside -900000000…900000000")
        }
        guard (-1_800_000_000...1_800_000_000).contains(value.longitudeE7) else {
            throw .invalid("\(field).longitude_e7 \(value.longitudeE7) is outside -1800000000…1800000000")
        }
    }

    /// Ids in a batch request: at most 1000, each with the prefix.
    static func batch(_ ids: [String], prefix: String, _ field: String) throws(DomainError) {
        guard ids.count <= 1000 else { throw .invalid("\(field) has \(ids.count) ids; at most 1000 are allowed") }
        for id in ids { try self.id(id, prefix: prefix, field) }
    }
}
