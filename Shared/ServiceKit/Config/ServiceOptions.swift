import ArgumentParser
import Foundation
import Logging

/// The command-line options every service takes. Embed them in the service's command:
///
/// ```swift
/// @main struct CustomerServiceCommand: AsyncParsableCommand {
///     @OptionGroup var options: ServiceOptions
///     func run() async throws {
///         let configuration = try options.resolve(defaults: ServiceDefaults(serviceName: "customer", port: 50051, adminPort: 9051))
///         …
///     }
/// }
/// ```
///
/// Each option falls back to an environment variable (named in `--help`), then to the
/// service's default. Bad values stop the process at start with a message naming the
/// value and where it came from.
public struct ServiceOptions: ParsableArguments, Sendable {
    @Option(help: ArgumentHelp("gRPC listen address (env QE_HOST; default 0.0.0.0).", valueName: "address"))
    public var host: String?

    @Option(help: ArgumentHelp("gRPC port, 0 for any free port (env QE_PORT; default: the service's).", valueName: "port"))
    public var port: Int?

    @Option(help: ArgumentHelp("Admin HTTP listen address for /metrics, /healthz, /readyz (env QE_ADMIN_HOST; default 0.0.0.0).", valueName: "address"))
    public var adminHost: String?

    @Option(help: ArgumentHelp("Admin HTTP port, 0 for any free port (env QE_ADMIN_PORT; default: the service's).", valueName: "port"))
    public var adminPort: Int?

    @Option(help: ArgumentHelp("Directory for the service's data (env QE_DATA_DIR; default ./data).", valueName: "path"))
    public var dataDir: String?

    @Option(name: .customLong("store"), help: ArgumentHelp("Store URL (env QE_STORE_URL; default sqlite://<data-dir>/<service>.sqlite3).", valueName: "url"))
    public var storeURL: String?

    @Option(help: ArgumentHelp("trace, debug, info, notice, warning, error or critical (env QE_LOG_LEVEL; default info).", valueName: "level"))
    public var logLevel: String?

    @Option(help: ArgumentHelp("auto (text on a terminal, else JSON), json or text (env QE_LOG_FORMAT; default auto).", valueName: "format"))
    public var logFormat: String?

    @Option(name: .customLong("peer"), help: ArgumentHelp("Another service's address, name=host:port; repeatable (env QE_PEERS, comma-separated).", valueName: "name=host:port"))
    public var peers: [String] = []

    @Option(help: ArgumentHelp("Secret for signing page tokens, ≥ 16 bytes, the same on every replica (env QE_PAGE_TOKEN_SECRET, preferred; default: random per process).", valueName: "secret"))
    public var pageTokenSecret: String?

    @Option(help: ArgumentHelp("Seconds in-flight calls may run after SIGTERM (env QE_SHUTDOWN_GRACE; default 10).", valueName: "seconds"))
    public var shutdownGrace: Double?

    @Option(help: ArgumentHelp("Keep each connection's event loop polling this many µs after it writes, instead of sleeping: lower latency at one call in flight on machines where waking an idle CPU is slow, for more CPU (env QE_BUSY_POLL_US; default 0 = off; at most 1000).", valueName: "µs"))
    public var busyPollUs: Int?

    public init() {}

    /// Checks every value given by flag or environment when the command line is parsed, so a
    /// bad one is reported with the usage before anything starts.
    public func validate() throws {
        do {
            _ = try resolve(defaults: ServiceDefaults(serviceName: "service", port: 0, adminPort: 0))
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// Merges flags (first), environment, then `defaults`, and checks the result.
    public func resolve(
        defaults: ServiceDefaults, environment: [String: String] = ProcessInfo.processInfo.environment,
        standardOutputIsTerminal: Bool = isatty(STDOUT_FILENO) == 1
    ) throws(ConfigurationError) -> ServiceConfiguration {
        let settings = Settings(environment: environment)

        let host = settings.pick(host, flag: "--host", env: "QE_HOST")
        let port = settings.pick(port.map(String.init), flag: "--port", env: "QE_PORT")
        let adminHost = settings.pick(adminHost, flag: "--admin-host", env: "QE_ADMIN_HOST")
        let adminPort = settings.pick(adminPort.map(String.init), flag: "--admin-port", env: "QE_ADMIN_PORT")
        let dataDir = settings.pick(dataDir, flag: "--data-dir", env: "QE_DATA_DIR")
        let store = settings.pick(storeURL, flag: "--store", env: "QE_STORE_URL")
        let level = settings.pick(logLevel, flag: "--log-level", env: "QE_LOG_LEVEL")
        let format = settings.pick(logFormat, flag: "--log-format", env: "QE_LOG_FORMAT")
        let secret = settings.pick(pageTokenSecret, flag: "--page-token-secret", env: "QE_PAGE_TOKEN_SECRET")
        let grace = settings.pick(shutdownGrace.map { String($0) }, flag: "--shutdown-grace", env: "QE_SHUTDOWN_GRACE")
        let busyPoll = settings.pick(busyPollUs.map(String.init), flag: "--busy-poll-us", env: "QE_BUSY_POLL_US")

        let dataDirectory = Self.absolute(dataDir?.value ?? defaults.dataDirectory)
        let resolvedFormat = try format.map(Self.logFormat) ?? .auto
        let peerGroups = try Self.peerGroups(flags: peers, environment: environment["QE_PEERS"])
        let configuration = ServiceConfiguration(
            serviceName: defaults.serviceName,
            host: try host.map(Self.address) ?? defaults.host,
            port: try port.map(Self.port) ?? defaults.port,
            adminHost: try adminHost.map(Self.address) ?? defaults.adminHost,
            adminPort: try adminPort.map(Self.port) ?? defaults.adminPort,
            dataDirectory: dataDirectory,
            store: try store.map(Self.storeURL) ?? .sqlite(path: dataDirectory + "/\(defaults.serviceName).sqlite3"),
            logLevel: try level.map(Self.logLevel) ?? defaults.logLevel,
            logFormat: resolvedFormat == .auto ? (standardOutputIsTerminal ? .text : .json) : resolvedFormat,
            peers: peerGroups.compactMapValues(\.last),
            pageTokenSecret: try secret.map(Self.secret) ?? Self.randomSecret(),
            pageTokenSecretIsGenerated: secret == nil,
            shutdownGracePeriod: try grace.map(Self.gracePeriod) ?? defaults.shutdownGracePeriod,
            peerGroups: peerGroups,
            busyPollWindow: try busyPoll.flatMap(Self.busyPollWindow))
        if configuration.port != 0, configuration.port == configuration.adminPort {
            throw ConfigurationError("the gRPC port and the admin port are both \(configuration.port); they must differ")
        }
        return configuration
    }

    // MARK: One check per kind of value

    private static func port(_ setting: Setting) throws(ConfigurationError) -> Int {
        guard let value = Int(setting.value), (0...65535).contains(value) else {
            throw setting.invalid("expected a port number 0…65535 (0 = any free port)")
        }
        return value
    }

    private static func address(_ setting: Setting) throws(ConfigurationError) -> String {
        guard !setting.value.isEmpty, !setting.value.contains(where: \.isWhitespace) else {
            throw setting.invalid("expected an address such as 0.0.0.0, 127.0.0.1, :: or a host name")
        }
        return setting.value
    }

    private static func storeURL(_ setting: Setting) throws(ConfigurationError) -> StoreURL {
        do {
            return try StoreURL(parsing: setting.value)
        } catch {
            throw ConfigurationError("\(setting.source): \(error.description)")
        }
    }

    private static func logLevel(_ setting: Setting) throws(ConfigurationError) -> Logger.Level {
        guard let level = Logger.Level(rawValue: setting.value.lowercased()) else {
            throw setting.invalid("expected one of " + Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return level
    }

    private static func logFormat(_ setting: Setting) throws(ConfigurationError) -> LogFormat {
        guard let format = LogFormat(rawValue: setting.value.lowercased()) else {
            throw setting.invalid("expected auto, json or text")
        }
        return format
    }

    private static func secret(_ setting: Setting) throws(ConfigurationError) -> [UInt8] {
        let bytes = Array(setting.value.utf8)
        guard bytes.count >= 16 else {
            // The value itself is a secret: never echo it.
            throw ConfigurationError("\(setting.source): the page token secret is \(bytes.count) bytes; at least 16 are needed")
        }
        return bytes
    }

    private static func gracePeriod(_ setting: Setting) throws(ConfigurationError) -> Duration {
        guard let seconds = Double(setting.value), seconds.isFinite, (0...3600).contains(seconds) else {
            throw setting.invalid("expected seconds between 0 and 3600")
        }
        return .milliseconds(Int64(seconds * 1000))
    }

    /// nil for 0 (off).
    private static func busyPollWindow(_ setting: Setting) throws(ConfigurationError) -> Duration? {
        guard let micros = Int(setting.value), (0...1000).contains(micros) else {
            throw setting.invalid("expected microseconds between 0 (off) and 1000")
        }
        return micros == 0 ? nil : .microseconds(micros)
    }

    /// Every address per peer name. Repeating a name adds a replica; a name given by `--peer`
    /// takes only the flags' addresses (flags win over QE_PEERS, name by name).
    private static func peerGroups(flags: [String], environment: String?) throws(ConfigurationError) -> [String: [PeerAddress]] {
        var fromEnvironmentGroups: [String: [PeerAddress]] = [:]
        var fromFlagGroups: [String: [PeerAddress]] = [:]
        let fromEnvironment = (environment ?? "").split(separator: ",").map { ($0.trimmingCharacters(in: .whitespaces), "QE_PEERS") }
        for (entry, source) in fromEnvironment + flags.map({ ($0, "--peer") }) where !entry.isEmpty {
            let setting = Setting(value: entry, source: source)
            guard let equals = entry.firstIndex(of: "=") else {
                throw setting.invalid("expected name=host:port, e.g. customer=127.0.0.1:50051")
            }
            let name = String(entry[..<equals])
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw setting.invalid("the peer name must be letters, digits, '-' or '_'")
            }
            guard let address = PeerAddress(parsing: String(entry[entry.index(after: equals)...])) else {
                throw setting.invalid("expected name=host:port with a port 1…65535, e.g. customer=127.0.0.1:50051")
            }
            if source == "--peer" {
                fromFlagGroups[name, default: []].append(address)
            } else {
                fromEnvironmentGroups[name, default: []].append(address)
            }
        }
        return fromEnvironmentGroups.merging(fromFlagGroups) { _, flags in flags }
    }

    private static func randomSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in generator.next() }
    }

    private static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}

/// A raw value and where it came from (`--port` or `QE_PORT`), for error messages.
private struct Setting {
    let value: String
    let source: String

    func invalid(_ expectation: String) -> ConfigurationError {
        ConfigurationError("\(source) '\(value)' is not valid: \(expectation)")
    }
}

private struct Settings {
    let environment: [String: String]

    /// The flag's value if given, else the environment's (empty counts as unset).
    func pick(_ flagValue: String?, flag: String, env: String) -> Setting? {
        if let flagValue { return Setting(value: flagValue, source: flag) }
        if let value = environment[env], !value.isEmpty { return Setting(value: value, source: env) }
        return nil
    }
}
