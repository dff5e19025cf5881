import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit

/// Field checks the finance rules share; each throws INVALID_ARGUMENT naming the field.
enum FieldRules {
    static let maxTextLength = 2_000

    static func text(_ value: String, _ field: String, required: Bool = false) throws(RPCError) {
        if required, value.allSatisfy({ $0 == " " || $0 == "\n" || $0 == "\t" }) { throw Fail.invalid("\(field) is required") }
        guard value.count <= maxTextLength else {
            throw Fail.invalid("\(field) is \(value.count) characters long; at most \(maxTextLength) are allowed")
        }
    }

    static func id(_ value: String, prefix: String, _ field: String, required: Bool = true) throws(RPCError) {
        if value.isEmpty {
            if required { throw Fail.invalid("\(field) is required") }
            return
        }
        guard ResourceID.isWellFormed(value, prefix: prefix) else { throw Fail.invalid("\(field) '\(value)' is not a \(prefix)- id") }
    }

    /// An enum that must be set to a value this build knows.
    static func specified<E: ProtoEnum>(_ value: E, _ field: String) throws(RPCError) {
        guard value.rawValue != 0 else { throw Fail.invalid("\(field) is required") }
        try known(value, field)
    }

    /// An enum that may be unset but not a number this build does not know.
    static func known<E: ProtoEnum>(_ value: E, _ field: String) throws(RPCError) {
        guard E.knownCases.contains(value) else { throw Fail.invalid("\(field) has unknown value \(value.rawValue)") }
    }

    /// Three upper-case ASCII letters, e.g. USD.
    static func currency(_ code: String, _ field: String) throws(RPCError) {
        guard code.utf8.count == 3, code.utf8.allSatisfy({ (0x41...0x5A).contains($0) }) else {
            throw Fail.invalid("\(field) '\(code)' is not an ISO-4217 code such as USD")
        }
    }

    static func money(_ value: Money?, _ field: String, currency expected: String? = nil) throws(RPCError) -> Money {
        guard let value else { throw Fail.invalid("\(field) is required") }
        try currency(value.currencyCode, "\(field).currency_code")
        if let expected, value.currencyCode != expected {
            throw Fail.invalid("\(field).currency_code is \(value.currencyCode) but must be \(expected)")
        }
        return value
    }

    static func date(_ value: CalendarDate?, _ field: String) throws(RPCError) -> CalendarDate {
        guard let value else { throw Fail.invalid("\(field) is required") }
        guard value.isValid else { throw Fail.invalid("\(field) \(value.year)-\(value.month)-\(value.day) is not a valid calendar date") }
        return value
    }

    static func period(_ value: AccountingPeriod?, _ field: String) throws(RPCError) -> AccountingPeriod {
        guard let value else { throw Fail.invalid("\(field) is required") }
        guard (1...9999).contains(value.year), (1...12).contains(value.month) else {
            throw Fail.invalid("\(field) \(value.year)-\(value.month) is not a month (year 1–9999, month 1–12)")
        }
        return value
    }

    /// An inclusive date range with both ends (billing periods).
    static func closedRange(_ value: DateRange?, _ field: String) throws(RPCError) -> (start: CalendarDate, end: CalendarDate) {
        guard let value else { throw Fail.invalid("\(field) is required") }
        let start = try date(value.startDate, "\(field).start_date")
        let end = try date(value.endDate, "\(field).end_date")
        guard end.ordinal >= start.ordinal else { throw Fail.invalid("\(field).end_date \(end.text) is before start_date \(start.text)") }
        return (start, end)
    }

    static func timestamp(_ value: Timestamp?, _ field: String) throws(RPCError) {
        guard let value else { return }
        guard value.isValid else { throw Fail.invalid("\(field) is out of range") }
    }
}
