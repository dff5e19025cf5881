import Foundation
import Logging

/// Renders one log record as a line: a JSON object, or text for people.
///
/// JSON: `{"time":"2026-11-29T01:02:03.456Z","level":"info","logger":"customer","message":"…",<metadata>}`
/// with metadata keys at the top level (a key that collides with a fixed one gets a `_`
/// prefix). Text: `2026-11-29T01:02:03.456Z info customer: message key=value …`.
enum LogLineFormatter {
    private static let reservedKeys: Set<String> = ["time", "level", "logger", "message", "error"]

    static func json(
        time: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, error: (any Error)?
    ) -> String {
        var line = "{\"time\":"
        JSONText.appendString(timestamp(time), to: &line)
        line += ",\"level\":"
        JSONText.appendString(level.rawValue, to: &line)
        line += ",\"logger\":"
        JSONText.appendString(label, to: &line)
        line += ",\"message\":"
        JSONText.appendString(message, to: &line)
        if let error {
            line += ",\"error\":"
            JSONText.appendString(String(describing: error), to: &line)
        }
        for key in metadata.keys.sorted() {
            line += ","
            JSONText.appendString(reservedKeys.contains(key) ? "_" + key : key, to: &line)
            line += ":"
            appendJSON(metadata[key]!, to: &line)
        }
        line += "}"
        return line
    }

    static func text(
        time: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, error: (any Error)?
    ) -> String {
        var line = "\(timestamp(time)) \(level.rawValue) \(label): \(message)"
        if let error { line += " error=\(quotedIfNeeded(String(describing: error)))" }
        for key in metadata.keys.sorted() {
            line += " \(key)=\(quotedIfNeeded(textValue(metadata[key]!)))"
        }
        return line
    }

    /// RFC 3339 in UTC with milliseconds.
    static func timestamp(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds.quotientAndRemainder(dividingBy: 1000).quotient)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let millis = Int(milliseconds - Int64(seconds) * 1000)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))"
            + "T\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2)).\(pad(millis, 3))Z"
    }

    private static func appendJSON(_ value: Logger.MetadataValue, to line: inout String) {
        switch value {
        case .string(let text): JSONText.appendString(text, to: &line)
        case .stringConvertible(let convertible): JSONText.appendString(convertible.description, to: &line)
        case .array(let values):
            line += "["
            for (index, element) in values.enumerated() {
                if index > 0 { line += "," }
                appendJSON(element, to: &line)
            }
            line += "]"
        case .dictionary(let dictionary):
            line += "{"
            for (index, key) in dictionary.keys.sorted().enumerated() {
                if index > 0 { line += "," }
                JSONText.appendString(key, to: &line)
                line += ":"
                appendJSON(dictionary[key]!, to: &line)
            }
            line += "}"
        }
    }

    private static func textValue(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): "[" + values.map(textValue).joined(separator: ", ") + "]"
        case .dictionary(let dictionary):
            "{" + dictionary.keys.sorted().map { "\($0): \(textValue(dictionary[$0]!))" }.joined(separator: ", ") + "}"
        }
    }

    private static func quotedIfNeeded(_ text: String) -> String {
        guard text.isEmpty || text.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }) else {
            return text
        }
        var quoted = ""
        JSONText.appendString(text, to: &quoted)
        return quoted
    }
}

/// JSON string escaping (RFC 8259 §7).
enum JSONText {
    static func appendString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
