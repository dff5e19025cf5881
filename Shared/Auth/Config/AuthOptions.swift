import ArgumentParser
import Crypto
import Foundation
import Logging

/// The authentication options of a service process (beside `ServiceOptions`):
///
/// ```swift
/// @OptionGroup var auth: AuthOptions
/// …
/// let interceptors = try auth.resolve().makeInterceptors(metricsFactory: metrics.factory, logger: logger)
/// ServiceRunner(…, interceptors: interceptors)
/// ```
///
/// Without a public key the service runs with authentication OFF (and says so loudly at
/// start); with one, every call except health and reflection needs a valid token.
public struct AuthOptions: ParsableArguments, Sendable {
    @Option(help: ArgumentHelp(
        "Ed25519 public key (PEM) that verifies callers' tokens; unset = authentication OFF (env QE_AUTH_PUBLIC_KEY).",
        valueName: "path"))
    public var authPublicKey: String?

    @Option(help: ArgumentHelp("The token audience this service accepts (env QE_AUTH_AUDIENCE; default quantum-mesh).", valueName: "audience"))
    public var authAudience: String?

    @Option(help: ArgumentHelp(
        "Serve gRPC health and reflection without a token: true or false (env QE_AUTH_ALLOW_UNAUTHENTICATED_HEALTH; default true).",
        valueName: "bool"))
    public var authAllowUnauthenticatedHealth: String?

    @Option(help: ArgumentHelp(
        "A token (file with one line) this service sends on its calls to peers, e.g. a corporate token with customer.read "
            + "for finance and metering; read again every few seconds, so a rotated token needs no restart (env QE_AUTH_SERVICE_TOKEN_FILE).",
        valueName: "path"))
    public var authServiceTokenFile: String?

    public init() {}

    public static let defaultAudience = "quantum-mesh"

    public func validate() throws {
        do {
            _ = try resolve()
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// Flags first, then the environment, then defaults; the key file is read and checked here.
    public func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws(AuthConfigurationError) -> AuthConfiguration {
        func pick(_ flag: String?, _ env: String) -> (value: String, source: String)? {
            if let flag { return (flag, "--" + Self.flagName(env)) }
            if let value = environment[env], !value.isEmpty { return (value, env) }
            return nil
        }
        let keyPath = pick(authPublicKey, "QE_AUTH_PUBLIC_KEY")
        let audience = pick(authAudience, "QE_AUTH_AUDIENCE")
        let exempt = pick(authAllowUnauthenticatedHealth, "QE_AUTH_ALLOW_UNAUTHENTICATED_HEALTH")
        let tokenFile = pick(authServiceTokenFile, "QE_AUTH_SERVICE_TOKEN_FILE")

        if let audience, audience.value.isEmpty || audience.value.contains(where: \.isWhitespace) {
            throw AuthConfigurationError("\(audience.source) '\(audience.value)' is not valid: expected a non-empty audience without spaces")
        }
        var exemptStandardServices = true
        if let exempt {
            switch exempt.value.lowercased() {
            case "true", "1", "yes": exemptStandardServices = true
            case "false", "0", "no": exemptStandardServices = false
            default: throw AuthConfigurationError("\(exempt.source) '\(exempt.value)' is not valid: expected true or false")
            }
        }
        var publicKey: Curve25519.Signing.PublicKey?
        if let keyPath {
            do {
                publicKey = try Ed25519KeyFiles.loadPublicKey(path: keyPath.value)
            } catch {
                throw AuthConfigurationError("\(keyPath.source): \(error.description)")
            }
        }
        var serviceToken: ServiceTokenFile?
        if let tokenFile {
            do {
                serviceToken = try ServiceTokenFile(path: tokenFile.value)
            } catch {
                throw AuthConfigurationError("\(tokenFile.source) \(error.description)")
            }
        }
        return AuthConfiguration(
            publicKey: publicKey, publicKeyPath: keyPath?.value, audience: audience?.value ?? Self.defaultAudience,
            exemptStandardServices: exemptStandardServices, serviceToken: serviceToken)
    }

    /// QE_AUTH_PUBLIC_KEY → auth-public-key.
    private static func flagName(_ env: String) -> String {
        env.dropFirst("QE_".count).lowercased().replacingOccurrences(of: "_", with: "-")
    }
}

/// An invalid authentication setting, naming the flag or variable it came from.
public struct AuthConfigurationError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
