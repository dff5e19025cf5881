import Foundation
import ProtoRuntime
import QuantumTypes
import RPCCore

/// Field checks domain rules share (ids, names, enums, instants, dates, points, id batches);
/// each throws INVALID_ARGUMENT naming the field.
public enum FieldCheck {
    public static let maxNameLength = 200
    public static let maxTextLength = 10_000

    public static func required(_ value: String, _ field: String) throws(RPCError) {
        guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw Fail.invalid("\(field) is required") }
        try text(value, field, max: maxNameLength)
    }

    public static func text(_ value: String, _ field: String, max: Int = maxTextLength) throws(RPCError) {
        guard value.count <= max else { throw Fail.invalid("\(field) is \(value.count) characters long; at most \(max) are allowed") }
    }

    public static func id(_ value: String, prefix: String, _ field: String) throws(RPCError) {
        guard !value.isEmpty else { throw Fail.invalid("\(field) is required") }
        try optionalID(value, prefix: prefix, field)
    }

    public static func optionalID(_ value: String, prefix: String, _ field: String) throws(RPCError) {
        guard value.isEmpty || ResourceID.isWellFormed(value, prefix: prefix) else {
            throw Fail.invalid("\(field) '\(value)' is not a \(prefix)- id")
        }
    }

    /// An enum that must be set to a value this build knows.
    public static func specified<E: ProtoEnum>(_ value: E, _ field: String) throws(RPCError) {
        guard value.rawValue != 0 else {
            let names = E.knownCases.dropFirst().compactMap(\.protoName)
            throw Fail.invalid("\(field) is required: one of \(names.joined(separator: ", "))")
        }
        try known(value, field)
    }

    /// An enum that may be unset but not a number this build does not know.
    public static func known<E: ProtoEnum>(_ value: E, _ field: String) throws(RPCError) {
        guard E.knownCases.contains(value) else { throw Fail.invalid("\(field) has unknown value \(value.rawValue)") }
    }

    public static func timestamp(_ value: Timestamp?, _ field: String, required: Bool = false) throws(RPCError) {
        guard let value else {
            if required { throw Fail.invalid("\(field) is required") }
            return
        }
        guard TimeColumns.isValid(value) else { throw Fail.invalid("\(field) is not a valid timestamp") }
    }

    public static func date(_ value: CalendarDate?, _ field: String, required: Bool = false) throws(RPCError) {
        guard let value else {
            if required { throw Fail.invalid("\(field) is required") }
            return
        }
        guard TimeColumns.isValid(value) else {
            throw Fail.invalid("\(field) \(value.year)-\(value.month)-\(value.day) is not a calendar date")
        }
    }

    public static func point(_ value: GeoPoint?, _ field: String) throws(RPCError) {
        guard let value else { return }
        guard abs(value.latitudeE7) <= 900_000_000 else { throw Fail.invalid("\(field).latitude_e7 must be within ±90°") }
        guard abs(value.longitudeE7) <= 1_800_000_000 else { throw Fail.invalid("\(field).longitude_e7 must be within ±180°") }
    }

    /// A batch of ids: at most `limit`, each with the prefix.
    public static func batch(_ ids: [String], prefix: String, _ field: String, limit: Int = 1000) throws(RPCError) {
        guard ids.count <= limit else { throw Fail.invalid("\(field) has \(ids.count) ids; at most \(limit) are allowed") }
        for (index, id) in ids.enumerated() { try self.id(id, prefix: prefix, "\(field)[\(index)]") }
    }
}
