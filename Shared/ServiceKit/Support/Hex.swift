private let lowercaseHexDigits = Array("0123456789abcdef".utf8)

extension Sequence where Element == UInt8 {
    /// The bytes as lowercase hexadecimal, two digits each (what `String(format: "%02x")` per
    /// byte gives, without a Foundation format call per byte: that was over a tenth of
    /// outage-service's CPU per ListOutages).
    public var lowercaseHex: String {
        var digits: [UInt8] = []
        digits.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            digits.append(lowercaseHexDigits[Int(byte >> 4)])
            digits.append(lowercaseHexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: digits, as: UTF8.self)
    }
}
