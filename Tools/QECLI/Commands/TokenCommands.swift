import ArgumentParser
import Foundation
import MeshAuth

/// `qe token`: development credentials — mint a token from the mesh's signing key, or make a
/// key pair for a mesh deployed some other way.
public struct TokenCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Development tokens: `qe token mint --as non_regulated --scopes \"customer.read gateway.read\"`.",
        subcommands: [Mint.self, Keygen.self])
    public init() {}

    struct Mint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prints a signed token (EdDSA JWT) for --as with --scopes; use it with --token or QE_TOKEN.",
            discussion: """
                Scopes are <domain>.read / <domain>.write for customer, metering, asset, outage, finance and gateway, \
                plus finance.post; the default is all of them. The key defaults to QE_SIGNING_KEY, then the one \
                `qe mesh up` generated in ./data/mesh/auth/.

                  export QE_TOKEN=$(qe token mint --as corporate)
                  qe overview customer CUS-… --token "$(qe token mint --as non_regulated --scopes 'gateway.read customer.read')"
                """)

        @Option(name: .customLong("as"), help: ArgumentHelp("Business unit: regulated, non_regulated or corporate.", valueName: "unit"))
        var businessUnit: String
        @Option(help: ArgumentHelp("Space- or comma-separated scopes (default: every scope).", valueName: "scopes"))
        var scopes: String?
        @Option(help: ArgumentHelp("The calling system (`sub`), default qe-<unit>.", valueName: "name"))
        var subject: String?
        @Option(help: ArgumentHelp("Lifetime: 30m, 8h (default 8h).", valueName: "duration"))
        var ttl = "8h"
        @Option(help: ArgumentHelp("Audience (default quantum-mesh, the services' default).", valueName: "audience"))
        var audience = AuthOptions.defaultAudience
        @Option(help: ArgumentHelp("Ed25519 private key, PEM (default QE_SIGNING_KEY, then ./data/mesh/auth/mesh-signing-key.pem).", valueName: "path"))
        var signingKey: String?

        func validate() throws {
            guard BusinessUnitClaim(rawValue: businessUnit) != nil else {
                throw ValidationError("--as '\(businessUnit)' is not valid: expected regulated, non_regulated or corporate")
            }
            guard let lifetime = DurationArgument.parse(ttl), lifetime > .zero else {
                throw ValidationError("--ttl '\(ttl)' is not valid: expected a duration such as 30m or 8h")
            }
            if let scopes, Self.split(scopes).isEmpty { throw ValidationError("--scopes is empty") }
        }

        func run() throws {
            let unit = BusinessUnitClaim(rawValue: businessUnit)!  // checked in validate()
            let path = signingKey ?? DevelopmentTokens.defaultSigningKeyPath()
            guard FileManager.default.fileExists(atPath: path) else {
                throw CommandFailure("no signing key at \(path): start the mesh once (`scripts/mesh`) or pass --signing-key")
            }
            let token: String
            do {
                token = try DevelopmentTokens.mint(
                    signingKeyPath: path, subject: subject ?? "qe-\(businessUnit)", businessUnit: unit,
                    scopes: scopes.map(Self.split) ?? DevelopmentTokens.allScopes,
                    lifetime: DurationArgument.parse(ttl)!, audience: audience)
            } catch {
                throw CommandFailure("cannot mint a token with \(path): \(error)")
            }
            Console.out(token)
        }

        static func split(_ scopes: String) -> [String] {
            scopes.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        }
    }

    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Makes (or keeps) an Ed25519 key pair in a directory: give services the .pub.pem, keep the .pem private.")
        @Option(help: ArgumentHelp("Directory (default ./data/mesh/auth).", valueName: "path"))
        var dir = MeshCredentials.directory(forDataDirectory: MeshCredentials.defaultDataDirectory)

        func run() throws {
            let pair = try DevelopmentKeyPair.loadOrGenerate(in: dir)
            Console.out("private key  \(pair.privateKeyPath)   (mints tokens: qe token mint --signing-key …)")
            Console.out("public key   \(pair.publicKeyPath)   (services: --auth-public-key / QE_AUTH_PUBLIC_KEY)")
        }
    }
}
