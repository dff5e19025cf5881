import ProtoRuntime

extension ProtoEnum {
    /// A value the proto declares other than UNSPECIFIED.
    var isSpecified: Bool { rawValue != 0 && Self.knownCases.contains(self) }

    /// The proto name for messages, or the number of an unknown value.
    var displayName: String { protoName ?? "\(rawValue)" }

    /// The known, non-zero value named `text` (`ACTIVE` or `METER_POINT_STATUS_ACTIVE`), else
    /// INVALID_ARGUMENT listing the accepted names.
    static func parse(_ text: String, field: String) throws -> Self {
        let zero = Self().protoName ?? ""
        let prefix = zero.hasSuffix("UNSPECIFIED") ? String(zero.dropLast("UNSPECIFIED".count)) : ""
        let named = knownCases.filter { $0.rawValue != 0 }.compactMap { value in value.protoName.map { (value, $0) } }
        if let match = named.first(where: { $0.1 == text || $0.1 == prefix + text }) { return match.0 }
        let accepted = named.map { String($0.1.dropFirst(prefix.count)) }.joined(separator: ", ")
        throw MeteringError.invalid("\(field): '\(text)' is not one of \(accepted)")
    }
}
