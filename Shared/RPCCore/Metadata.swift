/// One metadata value: printable ASCII, or bytes for `-bin` keys.
public enum MetadataValue: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case binary([UInt8])

    public var description: String {
        switch self {
        case .string(let s): s
        case .binary(let b): "<\(b.count) bytes>"
        }
    }
}

/// Call metadata: an ordered multimap of lower-case keys to ASCII or binary values.
///
/// Keys ending in `-bin` carry arbitrary bytes (base64 on the wire); all other values are
/// printable ASCII. Order and duplicates are preserved, as HTTP/2 does.
public struct Metadata: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    public struct Entry: Sendable, Hashable {
        public var key: String
        public var value: MetadataValue

        public init(key: String, value: MetadataValue) {
            self.key = key
            self.value = value
        }
    }

    private var entries: [Entry] = []

    public init() {}

    public typealias Key = String
    public typealias Value = String
    public init(dictionaryLiteral elements: (String, String)...) {
        for (key, value) in elements { add(key, value) }
    }

    /// Whether `key` names a binary (`-bin`) entry.
    public static func isBinaryKey(_ key: String) -> Bool { key.hasSuffix("-bin") }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    /// Appends an ASCII value (for a `-bin` key, the string's UTF-8 bytes become the binary value).
    public mutating func add(_ key: String, _ value: String) {
        let key = key.lowercased()
        if Self.isBinaryKey(key) {
            entries.append(Entry(key: key, value: .binary(Array(value.utf8))))
        } else {
            entries.append(Entry(key: key, value: .string(value)))
        }
    }

    /// Appends a binary value; `key` must end in `-bin`.
    public mutating func add(_ key: String, binary value: [UInt8]) {
        let key = key.lowercased()
        precondition(Self.isBinaryKey(key), "binary metadata keys must end in -bin: \(key)")
        entries.append(Entry(key: key, value: .binary(value)))
    }

    /// Appends an already classified entry (used by the transport when parsing headers).
    public mutating func add(_ entry: Entry) { entries.append(entry) }

    /// Removes every value for `key`, then adds `value`.
    public mutating func replace(_ key: String, _ value: String) {
        remove(key)
        add(key, value)
    }

    public mutating func remove(_ key: String) {
        let key = key.lowercased()
        entries.removeAll { $0.key == key }
    }

    public mutating func merge(_ other: Metadata) { entries.append(contentsOf: other.entries) }

    /// All values for `key`, in order; binary values are returned as their raw bytes.
    public subscript(key: String) -> [MetadataValue] {
        let key = key.lowercased()
        return entries.lazy.filter { $0.key == key }.map(\.value)
    }

    /// The ASCII values for `key`, in order.
    public subscript(stringValues key: String) -> [String] {
        self[key].compactMap { if case .string(let s) = $0 { s } else { nil } }
    }

    /// The binary values for `key`, in order.
    public subscript(binaryValues key: String) -> [[UInt8]] {
        self[key].compactMap { if case .binary(let b) = $0 { b } else { nil } }
    }

    /// The first ASCII value for `key`.
    public func first(_ key: String) -> String? { self[stringValues: key].first }

    public func contains(_ key: String) -> Bool {
        let key = key.lowercased()
        return entries.contains { $0.key == key }
    }

    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }

    public var description: String {
        "[" + entries.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "]"
    }
}
