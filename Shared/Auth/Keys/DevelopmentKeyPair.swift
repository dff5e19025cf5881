import Crypto
import Foundation

/// A signing key pair for development meshes: the private key mints tokens (CLI, mesh runner),
/// services are given only the public key.
public struct DevelopmentKeyPair: Sendable {
    public static let privateKeyFileName = "mesh-signing-key.pem"
    public static let publicKeyFileName = "mesh-signing-key.pub.pem"

    public let privateKeyPath: String
    public let publicKeyPath: String

    /// Loads the pair in `directory`, or generates and writes a new one when there is none
    /// (so a restarted development mesh keeps accepting the tokens it minted).
    public static func loadOrGenerate(in directory: String) throws -> DevelopmentKeyPair {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let pair = DevelopmentKeyPair(
            privateKeyPath: directory + "/" + privateKeyFileName, publicKeyPath: directory + "/" + publicKeyFileName)
        if FileManager.default.fileExists(atPath: pair.privateKeyPath) {
            let key = try Ed25519KeyFiles.loadPrivateKey(path: pair.privateKeyPath)
            try Ed25519KeyFiles.write(key.publicKey, to: pair.publicKeyPath)
        } else {
            let key = Curve25519.Signing.PrivateKey()
            try Ed25519KeyFiles.write(key, to: pair.privateKeyPath)
            try Ed25519KeyFiles.write(key.publicKey, to: pair.publicKeyPath)
        }
        return pair
    }

    public func loadPrivateKey() throws -> Curve25519.Signing.PrivateKey {
        try Ed25519KeyFiles.loadPrivateKey(path: privateKeyPath)
    }

    public func loadPublicKey() throws -> Curve25519.Signing.PublicKey {
        try Ed25519KeyFiles.loadPublicKey(path: publicKeyPath)
    }
}
