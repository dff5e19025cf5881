import Crypto
import Foundation
import ProtoRuntime
import RPCCore

/// Makes and checks opaque, tamper-evident `page_token`s.
///
/// A token carries the position to resume from (a keyset cursor: the sort values of the
/// last row returned, as strings), when it was issued, and a fingerprint of the query it
/// belongs to, all signed with HMAC-SHA256 under the service's secret. Clients cannot read
/// meaning into it, forge one, edit one, or replay one against a different filter.
///
/// Layout before base64url: version (1) · issued-at seconds (8, big-endian) · query digest
/// (16) · cursor (count, then length-prefixed UTF-8 strings) · HMAC-SHA256 of all that (32).
public struct PageTokenCodec: Sendable {
    private static let version: UInt8 = 1
    private static let digestLength = 16
    private static let macLength = 32
    /// Longer tokens are refused before any work (they cannot be ours).
    public static let maxTokenLength = 4096

    /// Kept as bytes: swift-crypto 3's `SymmetricKey` is not `Sendable`; a key is made per use.
    private let secret: [UInt8]
    /// How long a token stays valid; a listing that takes longer restarts.
    public let lifetime: Duration
    private let now: @Sendable () -> Date

    /// `secret`: at least 16 bytes, the same for every replica of the service (tokens made
    /// by one must work on the others).
    public init(secret: [UInt8], lifetime: Duration = .seconds(24 * 3600), now: @escaping @Sendable () -> Date = Date.init) {
        precondition(secret.count >= 16, "page token secret must be at least 16 bytes")
        self.secret = secret
        self.lifetime = lifetime
        self.now = now
    }

    /// The token for the page after the one that ended at `cursor`.
    public func makeToken(cursor: [String], for query: PageQuery) -> String {
        var bytes: [UInt8] = [Self.version]
        let issued = UInt64(max(0, now().timeIntervalSince1970))
        bytes += withUnsafeBytes(of: issued.bigEndian) { Array($0) }
        bytes += query.digest.prefix(Self.digestLength)
        bytes += withUnsafeBytes(of: UInt16(cursor.count).bigEndian) { Array($0) }
        for value in cursor {
            let utf8 = Array(value.utf8)
            bytes += withUnsafeBytes(of: UInt32(utf8.count).bigEndian) { Array($0) }
            bytes += utf8
        }
        bytes += HMAC<SHA256>.authenticationCode(for: bytes, using: key)
        return Base64URL.encode(bytes)
    }

    /// The cursor in `token`, or nil for an empty token (the first page). Throws
    /// INVALID_ARGUMENT, saying why, for a token that is malformed, forged, altered,
    /// expired, or was issued for a different query.
    public func cursor(from token: String, for query: PageQuery) throws(RPCError) -> [String]? {
        if token.isEmpty { return nil }
        guard token.utf8.count <= Self.maxTokenLength, let bytes = Base64URL.decode(token),
            bytes.count >= 1 + 8 + Self.digestLength + 2 + Self.macLength, bytes[0] == Self.version
        else {
            throw Self.invalid("page_token is malformed; pass the next_page_token of a previous response unchanged")
        }
        let signed = bytes[..<(bytes.count - Self.macLength)]
        let mac = bytes[(bytes.count - Self.macLength)...]
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: key) else {
            throw Self.invalid("page_token was not issued by this service or was altered; start again without page_token")
        }
        var reader = ByteReader(signed.dropFirst())
        guard let issued = reader.uint64(), let digest = reader.bytes(Self.digestLength) else {
            throw Self.invalid("page_token is malformed")
        }
        guard digest == Array(query.digest.prefix(Self.digestLength)) else {
            throw Self.invalid(
                "page_token belongs to a different query: the request's filter, order or parent changed since the first page; "
                    + "keep every field except page_size the same, or start again without page_token")
        }
        let age = now().timeIntervalSince1970 - Double(issued)
        let lifetimeSeconds = Double(lifetime.components.seconds)
        guard age <= lifetimeSeconds else {
            throw Self.invalid("page_token has expired (tokens are valid for \(lifetime)); start again without page_token")
        }
        guard let count = reader.uint16() else { throw Self.invalid("page_token is malformed") }
        var cursor: [String] = []
        for _ in 0..<count {
            guard let length = reader.uint32(), let utf8 = reader.bytes(Int(length)) else {
                throw Self.invalid("page_token is malformed")
            }
            cursor.append(String(decoding: utf8, as: UTF8.self))
        }
        guard reader.isAtEnd else { throw Self.invalid("page_token is malformed") }
        return cursor
    }

    private var key: SymmetricKey { SymmetricKey(data: secret) }

    private static func invalid(_ message: String) -> RPCError {
        RPCError(code: .invalidArgument, message: message)
    }
}

/// Reads big-endian integers and byte runs; nil when the input is too short.
private struct ByteReader {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { bytes.isEmpty }

    mutating func bytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, bytes.count >= count else { return nil }
        defer { bytes = bytes.dropFirst(count) }
        return Array(bytes.prefix(count))
    }

    mutating func uint64() -> UInt64? { bytes(8).map { $0.reduce(0) { $0 << 8 | UInt64($1) } } }
    mutating func uint32() -> UInt32? { bytes(4).map { $0.reduce(0) { $0 << 8 | UInt32($1) } } }
    mutating func uint16() -> UInt16? { bytes(2).map { $0.reduce(0) { $0 << 8 | UInt16($1) } } }
}

/// base64url without padding (RFC 4648 §5): safe in URLs, JSON and headers. Decoding is
/// canonical, so an altered character can never decode to the same (validly signed) bytes.
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        Base64.encode(bytes, padded: false, urlSafe: true)
    }

    static func decode(_ text: String) -> [UInt8]? {
        guard !text.contains("+"), !text.contains("/"), !text.contains("=") else { return nil }
        return Base64.decode(text, canonical: true)
    }
}
