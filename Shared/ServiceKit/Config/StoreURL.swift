/// Which database a service uses. Only the embedded SQLite store exists today; a
/// `postgres://` case can join it without changing the flag.
public enum StoreURL: Sendable, Hashable, CustomStringConvertible {
    /// `sqlite:///absolute/path/to/file.sqlite3` (or `sqlite://relative/path`).
    case sqlite(path: String)

    /// Parses a store URL; throws a message naming what is wrong.
    public init(parsing text: String) throws(StoreURLError) {
        guard let separator = text.range(of: "://") else {
            throw StoreURLError("store URL '\(text)' has no scheme; expected sqlite:///path/to/file.sqlite3")
        }
        let scheme = text[..<separator.lowerBound].lowercased()
        let rest = String(text[separator.upperBound...])
        switch scheme {
        case "sqlite":
            guard !rest.isEmpty, !rest.hasSuffix("/") else {
                throw StoreURLError("store URL '\(text)' names no file; expected sqlite:///path/to/file.sqlite3")
            }
            self = .sqlite(path: rest)
        default:
            throw StoreURLError("store URL scheme '\(scheme)' is not supported (only sqlite:///path/to/file.sqlite3 for now)")
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite://\(path)"
        }
    }
}

public struct StoreURLError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
