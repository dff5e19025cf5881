import ArgumentParser
import Foundation
import ProtoRuntime

/// Builds requests from flags as proto3 JSON, so the generated JSON reader does the field
/// and enum checking, and a bad value is reported with the field's name.
public enum RequestJSON {
    public typealias Member = (key: String, value: JSONValue?)

    public static func message<M: ProtoJSONMessage>(_ type: M.Type, from json: JSONValue) throws -> M {
        do {
            return try M(protoJSONValue: json)
        } catch let error as ProtoJSONError {
            throw ValidationError("bad request: \(error.description)")
        }
    }

    /// An object of the members that have a value.
    public static func object(_ members: [Member]) -> JSONValue {
        .object(members.compactMap { member in member.value.map { (member.key, $0) } })
    }

    public static func string(_ text: String?) -> JSONValue? {
        guard let text, !text.isEmpty else { return nil }
        return .string(text)
    }

    public static func strings(_ texts: [String]) -> JSONValue? {
        texts.isEmpty ? nil : .array(texts.map(JSONValue.string))
    }

    public static func int(_ value: Int?) -> JSONValue? {
        value.map { .number(String($0)) }
    }

    public static func bool(_ value: Bool) -> JSONValue? { value ? .bool(true) : nil }

    /// `residential` with prefix `CUSTOMER_KIND` → `CUSTOMER_KIND_RESIDENTIAL` (the full name is accepted too).
    public static func enumName(_ prefix: String, _ value: String?) -> JSONValue? {
        guard let value, !value.isEmpty else { return nil }
        let upper = value.uppercased().replacingOccurrences(of: "-", with: "_")
        return .string(upper.hasPrefix(prefix + "_") ? upper : prefix + "_" + upper)
    }

    /// An instant: RFC 3339 (`2026-01-31T12:00:00Z`), a date (`2026-01-31`, midnight UTC),
    /// `now`, or `-30d` / `-2h` (that long before now).
    public static func timestamp(_ text: String, flag: String, now: Date = Date()) throws -> JSONValue {
        try .string(RFC3339.format(instant(text, flag: flag, now: now)))
    }

    public static func instant(_ text: String, flag: String, now: Date = Date()) throws -> Timestamp {
        // The instant itself, not the start of its second: `--to now` must include what was
        // written a moment ago (the reliability report counted 0 customers served when the
        // accounts were opened in the same second as the call).
        let seconds = now.timeIntervalSince1970.rounded(.down)
        let nowStamp = Timestamp(seconds: Int64(seconds), nanos: Int32((now.timeIntervalSince1970 - seconds) * 1e9))
        if text == "now" { return nowStamp }
        if text.hasPrefix("-"), let ago = DurationArgument.parse(String(text.dropFirst())) {
            return Timestamp(seconds: nowStamp.seconds - ago.components.seconds, nanos: nowStamp.nanos)
        }
        if let stamp = RFC3339.parse(text) { return stamp }
        if isDate(text), let stamp = RFC3339.parse(text + "T00:00:00Z") { return stamp }
        throw ValidationError("\(flag) '\(text)' is not valid: expected 2026-01-31, 2026-01-31T12:00:00Z, now or -30d")
    }

    /// A calendar date `2026-01-31` as a quantum.type.v1.CalendarDate.
    public static func date(_ text: String, flag: String) throws -> JSONValue {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard isDate(text), parts.count == 3, RFC3339.parse(text + "T00:00:00Z") != nil else {
            throw ValidationError("\(flag) '\(text)' is not valid: expected a date such as 2026-01-31")
        }
        return object([("year", int(parts[0])), ("month", int(parts[1])), ("day", int(parts[2]))])
    }

    /// A decimal quantity (`1.25`) in thousandths (`1250`), exactly, for fixed-point fields.
    public static func milli(_ text: String, flag: String) throws -> Int64 {
        try fixedPoint(text, scale: 3, flag: flag)
    }

    /// A decimal (`-122.4194`) as an integer count of 10^-scale units, exactly.
    public static func fixedPoint(_ text: String, scale: Int, flag: String) throws -> Int64 {
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let pieces = body.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let digitsOnly = pieces.allSatisfy { $0.utf8.allSatisfy { (48...57).contains($0) } }
        var multiplier: Int64 = 1
        for _ in 0..<scale { multiplier *= 10 }
        guard (1...2).contains(pieces.count), digitsOnly, !(pieces[0].isEmpty && pieces.count == 1),
              pieces.count == 1 || (!pieces[1].isEmpty && pieces[1].count <= scale),
              let whole = Int64(pieces[0].isEmpty ? "0" : pieces[0]), whole < Int64.max / multiplier - 1 else {
            throw ValidationError("\(flag) '\(text)' is not valid: expected a number with at most \(scale) decimals")
        }
        let fraction = pieces.count == 2 ? Int64(pieces[1].padding(toLength: scale, withPad: "0", startingAt: 0)) ?? 0 : 0
        let value = whole * multiplier + fraction
        return negative ? -value : value
    }

    private static func isDate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.count == 10 && bytes[4] == UInt8(ascii: "-") && bytes[7] == UInt8(ascii: "-")
    }
}
