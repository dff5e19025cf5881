import Foundation

/// Syntax checks for contact data and codes. Pure functions, no I/O.
public enum ContactFormats {
    /// An e-mail address as an RFC 5322 addr-spec in its common dot-atom form:
    /// `local@domain`, the local part ≤ 64 bytes of atext separated by single dots, the domain
    /// ≥ 2 DNS labels (letters, digits, inner hyphens) with an alphabetic top level. Quoted local
    /// parts and address literals are not accepted (no one sends bills to them).
    public static func isValidEmail(_ address: String) -> Bool {
        guard address.utf8.count <= 254, let at = address.lastIndex(of: "@") else { return false }
        let local = address[..<at], domain = address[address.index(after: at)...]
        guard !local.isEmpty, local.utf8.count <= 64, isDotAtom(local) else { return false }
        return isHostName(domain, requireTopLevel: true)
    }

    /// A phone number in E.164: `+`, then 2–15 digits, the first not 0.
    public static func isValidE164(_ number: String) -> Bool {
        let bytes = Array(number.utf8)
        guard bytes.count >= 3, bytes.count <= 16, bytes[0] == UInt8(ascii: "+"),
            bytes[1] != UInt8(ascii: "0")
        else { return false }
        return bytes.dropFirst().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// A BCP-47 language tag in its usual shape: a 2–3 letter language, then subtags of 1–8
    /// letters or digits, e.g. "en", "en-US", "zh-Hant-TW".
    public static func isValidLanguageTag(_ tag: String) -> Bool {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard let language = parts.first, (2...3).contains(language.count), language.allSatisfy(\.isASCIILetter) else {
            return false
        }
        return parts.dropFirst().allSatisfy { (1...8).contains($0.count) && $0.allSatisfy(\.isASCIIAlphanumeric) }
    }

    /// An ISO-4217 alphabetic code: three upper-case letters.
    public static func isValidCurrencyCode(_ code: String) -> Bool {
        code.count == 3 && code.allSatisfy { $0.isASCII && $0.isUppercase }
    }

    /// A CLDR region code: two upper-case letters, e.g. "US".
    public static func isValidRegionCode(_ code: String) -> Bool {
        code.count == 2 && code.allSatisfy { $0.isASCII && $0.isUppercase }
    }

    /// An absolute http(s) URL with a host.
    public static func isValidWebURI(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { return false }
        return isHostName(Substring(host), requireTopLevel: false)
    }

    private static let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-")

    private static func isDotAtom(_ text: Substring) -> Bool {
        text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { atom in
            !atom.isEmpty && atom.allSatisfy { atext.contains($0) }
        }
    }

    private static func isHostName(_ text: Substring, requireTopLevel: Bool) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 253 else { return false }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        if requireTopLevel {
            guard labels.count >= 2, let top = labels.last, top.count >= 2, top.allSatisfy(\.isASCIILetter) else { return false }
        }
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCIIAlphanumeric || $0 == "-" }
        }
    }
}

extension Character {
    var isASCIILetter: Bool { isASCII && isLetter }
    var isASCIIAlphanumeric: Bool { isASCII && (isLetter || isNumber) }
}
