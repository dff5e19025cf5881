import ProtoRuntime

/// One JSON value (from the proto3 JSON mapping) as short text for a person: money from minor
/// units (`USD 12.34`), energy from milli-units (`1.250 kWh`), dates, time ranges, section
/// statuses, enum names without their type prefix (`residential`), fixed-point `…_micro`
/// numbers as decimals. Timestamps are already ISO 8601 in the JSON mapping.
public enum ValueFormatter {
    public static func text(_ value: JSONValue, key: String = "") -> String {
        switch value {
        case .null: return ""
        case .bool(let flag): return flag ? "yes" : "no"
        case .number(let literal): return scaled(literal, key: key)
        case .string(let text) where text.hasPrefix("ENERGY_UNIT_"): return unitLabel(text)
        case .string(let text): return isEnumName(text) ? enumLabel(text, key: key) : scaled(text, key: key)
        case .array(let items): return items.map { text($0, key: key) }.joined(separator: ", ")
        case .object(let members): return special(value, members: members) ?? members.map { "\($0.key)=\(text($0.value, key: $0.key))" }.joined(separator: " ")
        }
    }

    /// Objects that read better as one value; nil for ordinary messages.
    public static func special(_ value: JSONValue, members: [(key: String, value: JSONValue)]) -> String? {
        let keys = Set(members.map(\.key))
        func string(_ key: String) -> String? {
            switch value[key] {
            case .string(let text)?: text
            case .number(let text)?: text
            default: nil
            }
        }
        if keys.isSubset(of: ["currencyCode", "minorUnits"]), let currency = string("currencyCode") {
            return money(minorUnits: string("minorUnits") ?? "0", currency: currency)
        }
        if keys.isSubset(of: ["currencyCode", "microMinorUnits", "unit"]), keys.contains("microMinorUnits") || keys.contains("currencyCode"),
           let currency = string("currencyCode") {
            let perUnit = string("unit").map { "/" + unitLabel($0) } ?? ""
            let exact = decimal(string("microMinorUnits") ?? "0", scale: 6 + minorDigits(currency))
            return "\(currency) \(trimmingZeros(exact, keeping: minorDigits(currency)))\(perUnit)"
        }
        if keys.isSubset(of: ["milliValue", "unit"]), !keys.isEmpty {
            return "\(decimal(string("milliValue") ?? "0", scale: 3)) \(string("unit").map(unitLabel) ?? "")"
                .trimmingCharacters(in: .whitespaces)
        }
        if keys.isSubset(of: ["year", "month", "day"]), keys.contains("year") {
            let year = Int(string("year") ?? "0") ?? 0, month = Int(string("month") ?? "0") ?? 0, day = Int(string("day") ?? "0") ?? 0
            return String(format4(year)) + "-" + two(month) + "-" + two(day)
        }
        if keys.isSubset(of: ["startTime", "endTime"]) || keys.isSubset(of: ["startDate", "endDate"]), !keys.isEmpty {
            let start = value["startTime"] ?? value["startDate"], end = value["endTime"] ?? value["endDate"]
            return "\(start.map { text($0) } ?? "…") → \(end.map { text($0) } ?? "…")"
        }
        if keys.isSubset(of: ["latitudeE7", "longitudeE7"]), !keys.isEmpty {
            return "\(decimal(string("latitudeE7") ?? "0", scale: 7)), \(decimal(string("longitudeE7") ?? "0", scale: 7))"
        }
        if keys.contains("address"), keys.isSubset(of: ["address", "label", "primary", "verified"]), let address = string("address") {
            return address
        }
        if keys.contains("e164Number"), keys.isSubset(of: ["e164Number", "kind", "primary"]), let number = string("e164Number") {
            return number
        }
        if keys.contains("state"), case .string(let state)? = value["state"], state.hasPrefix("SECTION_STATE_") {
            return sectionStatus(value, state: state)
        }
        return nil
    }

    public static func money(minorUnits: String, currency: String) -> String {
        "\(currency) \(decimal(minorUnits, scale: minorDigits(currency)))"
    }

    /// ISO-4217 minor-unit digits for the currencies that are not 2.
    static func minorDigits(_ currency: String) -> Int {
        switch currency {
        case "JPY", "KRW", "CLP", "ISK", "VND", "XAF", "XOF", "UGX", "PYG": 0
        case "BHD", "KWD", "OMR", "JOD", "TND", "LYD", "IQD": 3
        default: 2
        }
    }

    /// An integer literal shown with `scale` decimals, exactly (no floating point).
    public static func decimal(_ integer: String, scale: Int) -> String {
        let negative = integer.hasPrefix("-")
        var digits = String(negative ? integer.dropFirst() : Substring(integer))
        guard !digits.isEmpty, digits.allSatisfy(\.isNumber) else { return integer }
        guard scale > 0 else { return integer }
        if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
        let split = digits.index(digits.endIndex, offsetBy: -scale)
        let whole = digits[..<split]
        // Group thousands for readability of large amounts.
        var grouped = ""
        for (index, character) in whole.enumerated() {
            if index > 0 && (whole.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return (negative ? "-" : "") + grouped + "." + digits[split...]
    }

    /// `0.25000000` → `0.25` (never fewer than `keeping` decimals).
    static func trimmingZeros(_ text: String, keeping: Int) -> String {
        guard let dot = text.firstIndex(of: ".") else { return text }
        var result = text
        while result.last == "0", result.distance(from: dot, to: result.endIndex) - 1 > keeping { result.removeLast() }
        if result.last == "." { result.removeLast() }
        return result
    }

    static func sectionStatus(_ value: JSONValue, state: String) -> String {
        var text = enumLabel(state, key: "state")
        if state == "SECTION_STATE_OK" {
            // Complete for this caller, but entries were held back by the separation policy.
            guard case .number(let withheld)? = value["withheldCount"] else { return text }
            let rule: String = if case .string(let rule)? = value["rule"] { ", rule \(rule)" } else { "" }
            return text + " (\(withheld) withheld by the separation policy\(rule))"
        }
        var details: [String] = []
        if case .string(let service)? = value["service"] { details.append(service) }
        if case .number(let code)? = value["code"], let number = Int(code) { details.append(statusName(number)) }
        if case .string(let rule)? = value["rule"] { details.append("rule \(rule)") }
        if case .number(let withheld)? = value["withheldCount"] { details.append("\(withheld) withheld") }
        if case .string(let message)? = value["message"] { details.append(message) }
        if !details.isEmpty { text += " (" + details.joined(separator: ": ") + ")" }
        return text
    }

    static func statusName(_ code: Int) -> String {
        let names = ["OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
                     "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
                     "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"]
        return names.indices.contains(code) ? names[code] : "code \(code)"
    }

    /// `ENERGY_UNIT_KWH` → `kWh` and friends.
    static func unitLabel(_ name: String) -> String {
        let labels = ["ENERGY_UNIT_WH": "Wh", "ENERGY_UNIT_KWH": "kWh", "ENERGY_UNIT_MWH": "MWh", "ENERGY_UNIT_VARH": "varh",
                      "ENERGY_UNIT_KVARH": "kvarh", "ENERGY_UNIT_THERM": "therm", "ENERGY_UNIT_DEKATHERM": "Dth",
                      "ENERGY_UNIT_CCF": "ccf", "ENERGY_UNIT_MCF": "Mcf", "ENERGY_UNIT_CUBIC_METER": "m³"]
        return labels[name] ?? enumLabel(name, key: "unit")
    }

    static func isEnumName(_ text: String) -> Bool {
        text.contains("_") && text.first?.isLetter == true
            && text.allSatisfy { ($0.isUppercase && $0.isASCII) || $0.isNumber || $0 == "_" }
    }

    /// Drops the enum type prefix, found from the field name: `kind` = CUSTOMER_KIND_RESIDENTIAL
    /// → `residential`; `recipientBusinessUnit` = BUSINESS_UNIT_REGULATED → `regulated`.
    public static func enumLabel(_ name: String, key: String) -> String {
        let words = snakeWords(key)
        for start in words.indices {
            let marker = words[start...].joined(separator: "_") + "_"
            if let range = name.range(of: marker) { return name[range.upperBound...].lowercased() }
        }
        return name
    }

    /// `regulatoryScopes` → [REGULATORY, SCOPE] (a plural's s dropped, to match the enum's name).
    static func snakeWords(_ key: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in key {
            if character.isUppercase, !current.isEmpty { words.append(current); current = "" }
            current.append(character)
        }
        if !current.isEmpty { words.append(current) }
        return words.map { word in
            let upper = word.uppercased()
            return upper.count > 3 && upper.hasSuffix("S") && !upper.hasSuffix("SS") && !upper.hasSuffix("US") ? String(upper.dropLast()) : upper
        }
    }

    /// Integers from `…Micro` fields as decimals (SAIFI 1.234567).
    static func scaled(_ literal: String, key: String) -> String {
        key.hasSuffix("Micro") ? decimal(literal, scale: 6) : literal
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    private static func format4(_ value: Int) -> String { String(repeating: "0", count: max(0, 4 - String(value).count)) + String(value) }
}
