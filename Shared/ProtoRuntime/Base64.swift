/// Base64 (RFC 4648) for bytes fields in JSON, binary metadata and embedded descriptors.
/// Decoding accepts the standard and URL-safe alphabets, with or without padding.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlSafeAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    /// Standard alphabet (or the URL-safe one, RFC 4648 §5), padded unless `padded` is false
    /// (gRPC's `-bin` metadata omits it).
    public static func encode(_ bytes: some Collection<UInt8>, padded: Bool = true, urlSafe: Bool = false) -> String {
        let alphabet = urlSafe ? urlSafeAlphabet : alphabet
        var output = [UInt8]()
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            output.append(alphabet[Int(first >> 2)])
            output.append(alphabet[Int((first & 0x03) << 4 | (second ?? 0) >> 4)])
            if let second {
                output.append(alphabet[Int((second & 0x0F) << 2 | (third ?? 0) >> 6)])
            } else if padded {
                output.append(UInt8(ascii: "="))
            }
            if let third {
                output.append(alphabet[Int(third & 0x3F)])
            } else if padded {
                output.append(UInt8(ascii: "="))
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decoded bytes, or nil when `text` is not base64. `canonical` also refuses text whose
    /// unused trailing bits are not zero — two texts must not decode to the same bytes where
    /// the text itself is compared or signed (page tokens).
    public static func decode(_ text: some StringProtocol, canonical: Bool = false) -> [UInt8]? {
        var output = [UInt8]()
        output.reserveCapacity(text.utf8.count / 4 * 3)
        var accumulator: UInt32 = 0
        var bits = 0
        var padding = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "=") { padding += 1; continue }
            guard padding == 0 else { return nil }  // data after padding
            let value = decodeTable[Int(byte)]
            guard value != 0xFF else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        guard padding <= 2, bits < 6 else { return nil }
        if canonical && accumulator & ((1 << UInt32(bits)) - 1) != 0 { return nil }
        return output
    }
}
