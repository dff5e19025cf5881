import Foundation
import Logging

/// How log lines are written: JSON objects (one per line) or readable text; `auto` picks
/// text on a terminal and JSON otherwise (files, pipes, log collectors).
public enum LogFormat: String, Sendable, Hashable, CaseIterable {
    case auto, json, text
}

/// What a service's `@main` knows before reading any flag: its name and its default ports.
public struct ServiceDefaults: Sendable, Hashable {
    /// Short name, e.g. `customer`: names the store file (`customer.sqlite3`) and the logger.
    public var serviceName: String
    public var port: Int
    public var adminPort: Int
    public var host = "0.0.0.0"
    public var adminHost = "0.0.0.0"
    public var dataDirectory = "./data"
    public var logLevel: Logger.Level = .info
    public var shutdownGracePeriod: Duration = .seconds(10)

    public init(serviceName: String, port: Int, adminPort: Int) {
        self.serviceName = serviceName
        self.port = port
        self.adminPort = adminPort
    }
}

/// A service's settings after flags, environment and defaults were merged and checked.
public struct ServiceConfiguration: Sendable {
    public var serviceName: String
    /// gRPC listen address.
    public var host: String
    /// gRPC port; 0 = any free port.
    public var port: Int
    /// Admin HTTP (`/metrics`, `/healthz`, `/readyz`) listen address.
    public var adminHost: String
    /// Admin port; 0 = any free port.
    public var adminPort: Int
    /// Absolute path of the data directory.
    public var dataDirectory: String
    public var store: StoreURL
    public var logLevel: Logger.Level
    /// Never `.auto`: resolved against the terminal.
    public var logFormat: LogFormat
    /// Other services by name (`customer`, `metering`…); the last address given for a name.
    public var peers: [String: PeerAddress]
    /// Every address given for each name (`--peer customer=a --peer customer=b`), in order, for
    /// callers that balance over replicas; `peers` holds the last of each.
    public var peerGroups: [String: [PeerAddress]]
    /// HMAC key for page tokens (≥ 16 bytes).
    public var pageTokenSecret: [UInt8]
    /// True when no secret was configured and a random one was made: tokens then do not
    /// survive a restart and differ between replicas (fine for development only).
    public var pageTokenSecretIsGenerated: Bool
    /// How long in-flight calls may run after SIGTERM.
    public var shutdownGracePeriod: Duration
    /// `ServerConfiguration.busyPollWindow` (nil = off).
    public var busyPollWindow: Duration?

    public init(
        serviceName: String, host: String, port: Int, adminHost: String, adminPort: Int, dataDirectory: String,
        store: StoreURL, logLevel: Logger.Level, logFormat: LogFormat, peers: [String: PeerAddress],
        pageTokenSecret: [UInt8], pageTokenSecretIsGenerated: Bool, shutdownGracePeriod: Duration,
        peerGroups: [String: [PeerAddress]]? = nil, busyPollWindow: Duration? = nil
    ) {
        self.serviceName = serviceName
        self.host = host
        self.port = port
        self.adminHost = adminHost
        self.adminPort = adminPort
        self.dataDirectory = dataDirectory
        self.store = store
        self.logLevel = logLevel
        self.logFormat = logFormat
        self.peers = peers
        self.peerGroups = peerGroups ?? peers.mapValues { [$0] }
        self.pageTokenSecret = pageTokenSecret
        self.pageTokenSecretIsGenerated = pageTokenSecretIsGenerated
        self.shutdownGracePeriod = shutdownGracePeriod
        self.busyPollWindow = busyPollWindow
    }

    /// Creates the data directory (and parents) if missing, and checks it is writable.
    public func prepareDataDirectory() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: dataDirectory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw ConfigurationError("data directory \(dataDirectory) exists but is not a directory")
            }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            } catch {
                throw ConfigurationError("cannot create data directory \(dataDirectory): \(error.localizedDescription)")
            }
        }
        guard FileManager.default.isWritableFile(atPath: dataDirectory) else {
            throw ConfigurationError("data directory \(dataDirectory) is not writable")
        }
    }
}

/// A setting that cannot be used; the message names it, its value and where it came from.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
