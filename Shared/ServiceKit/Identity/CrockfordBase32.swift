/// Crockford's base32 (0-9, A-Z without I, L, O, U): case-insensitive, no look-alike
/// letters, and its alphabet is in ASCII order, so encoded numbers sort like the numbers.
enum CrockfordBase32 {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// Encodes `value`'s low `digits * 5` bits as exactly `digits` characters, most significant first.
    static func encode<Value: FixedWidthInteger & UnsignedInteger>(_ value: Value, digits: Int, into output: inout [UInt8]) {
        for index in stride(from: digits - 1, through: 0, by: -1) {
            let shift = index * 5
            let digit = shift < Value.bitWidth ? Int((value >> Value(shift)) & 0x1F) : 0
            output.append(alphabet[digit])
        }
    }

    /// Whether `byte` is one of the 32 canonical (upper-case) characters.
    static func isCanonicalDigit(_ byte: UInt8) -> Bool { alphabet.contains(byte) }
}
