import Crypto
import Foundation

/// Ed25519 key files: PEM as RFC 8410 defines it (what `openssl genpkey -algorithm ed25519`
/// writes), because swift-crypto 3.12 has no PEM for Curve25519 keys. Both documents have a
/// fixed DER layout — a constant prefix and the 32 raw key bytes — so reading and writing them
/// is framing, not cryptography.
///
/// - private key: `-----BEGIN PRIVATE KEY-----` (PKCS #8), file mode 0600, refused when group
///   or others may read it;
/// - public key: `-----BEGIN PUBLIC KEY-----` (SubjectPublicKeyInfo).
///
/// Also accepted on load: a file holding only the 32 raw key bytes in standard base64 (one line).
public enum Ed25519KeyFiles {
    /// PKCS #8 PrivateKeyInfo { version 0, AlgorithmIdentifier { id-Ed25519 }, OCTET STRING { OCTET STRING (32) } }.
    static let privateKeyPrefix: [UInt8] = [0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]
    /// SubjectPublicKeyInfo { AlgorithmIdentifier { id-Ed25519 }, BIT STRING (0 unused bits, 32 bytes) }.
    static let publicKeyPrefix: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]

    public static func loadPrivateKey(path: String) throws(KeyFileError) -> Curve25519.Signing.PrivateKey {
        let mode = try permissions(path)
        guard mode & 0o077 == 0 else {
            throw KeyFileError(path, String(format: "permissions %o are too open: a private key must be readable by its owner only (chmod 600)", mode))
        }
        let raw = try rawKey(path: path, label: "PRIVATE KEY", prefix: privateKeyPrefix)
        do {
            return try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        } catch {
            throw KeyFileError(path, "not an Ed25519 private key")
        }
    }

    public static func loadPublicKey(path: String) throws(KeyFileError) -> Curve25519.Signing.PublicKey {
        let raw = try rawKey(path: path, label: "PUBLIC KEY", prefix: publicKeyPrefix)
        do {
            return try Curve25519.Signing.PublicKey(rawRepresentation: raw)
        } catch {
            throw KeyFileError(path, "not an Ed25519 public key")
        }
    }

    public static func pem(_ key: Curve25519.Signing.PrivateKey) -> String {
        pem(label: "PRIVATE KEY", der: privateKeyPrefix + key.rawRepresentation)
    }

    public static func pem(_ key: Curve25519.Signing.PublicKey) -> String {
        pem(label: "PUBLIC KEY", der: publicKeyPrefix + key.rawRepresentation)
    }

    /// Writes the private key, readable by the owner only (mode 0600 from creation on).
    public static func write(_ key: Curve25519.Signing.PrivateKey, to path: String) throws(KeyFileError) {
        try write(pem(key), to: path, mode: 0o600)
    }

    public static func write(_ key: Curve25519.Signing.PublicKey, to path: String) throws(KeyFileError) {
        try write(pem(key), to: path, mode: 0o644)
    }

    // MARK: Framing

    private static func pem(label: String, der: [UInt8]) -> String {
        let body = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(body)\n-----END \(label)-----\n"
    }

    private static func rawKey(path: String, label: String, prefix: [UInt8]) throws(KeyFileError) -> [UInt8] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw KeyFileError(path, "cannot be read (\(error.localizedDescription))")
        }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let begin = "-----BEGIN \(label)-----", end = "-----END \(label)-----"
        if lines.first?.hasPrefix("-----BEGIN") == true {
            guard lines.first == begin, lines.last == end, lines.count >= 3,
                  let der = Data(base64Encoded: lines.dropFirst().dropLast().joined()) else {
                throw KeyFileError(path, "expected a PEM '\(label)' block (RFC 8410 Ed25519)")
            }
            guard der.count == prefix.count + 32, Array(der.prefix(prefix.count)) == prefix else {
                throw KeyFileError(path, "the PEM '\(label)' is not an Ed25519 key (RFC 8410)")
            }
            return Array(der.suffix(32))
        }
        guard lines.count == 1, let raw = Data(base64Encoded: lines[0]), raw.count == 32 else {
            throw KeyFileError(path, "expected a PEM '\(label)' block or the 32 raw key bytes in base64 on one line")
        }
        return Array(raw)
    }

    private static func permissions(_ path: String) throws(KeyFileError) -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { throw KeyFileError(path, "cannot be read (\(String(cString: strerror(errno))))") }
        return Int(info.st_mode) & 0o777
    }

    private static func write(_ text: String, to path: String, mode: mode_t) throws(KeyFileError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw KeyFileError(path, "cannot be written (\(String(cString: strerror(errno))))") }
        defer { close(descriptor) }
        // An existing file keeps its old mode through O_CREAT: set it explicitly.
        guard fchmod(descriptor, mode) == 0 else { throw KeyFileError(path, "cannot set mode (\(String(cString: strerror(errno))))") }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if result < 0, errno == EINTR { continue }
            guard result > 0 else { throw KeyFileError(path, "cannot be written (\(String(cString: strerror(errno))))") }
            written += result
        }
        guard fsync(descriptor) == 0 else { throw KeyFileError(path, "cannot be synced (\(String(cString: strerror(errno))))") }
    }
}

/// A key file that cannot be used, with the path and what is wrong.
public struct KeyFileError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let problem: String

    init(_ path: String, _ problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "key file \(path): \(problem)" }
}
