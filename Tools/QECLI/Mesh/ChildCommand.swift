/// The command line and environment one mesh child is started with.
public struct ChildCommand: Sendable, Hashable {
    public let service: MeshService
    public let executablePath: String
    public let arguments: [String]
    /// Added to the runner's environment (secrets go here, not in argv where `ps` shows them).
    public let environment: [String: String]

    /// - Parameters:
    ///   - binDirectory: where the executables are.
    ///   - dataDirectory: shared by all; each service keeps `<data-dir>/<service>.sqlite3`.
    ///   - logFormat: `text` or `json`, passed to every child.
    ///   - pageTokenSecret: the same for every start of this data directory, so page tokens
    ///     survive a restart.
    ///   - authEnvironment: QE_AUTH_* settings (key and token file paths), empty = auth off.
    public init(
        service: MeshService, layout: MeshLayout, binDirectory: String, dataDirectory: String,
        logFormat: String = "text", logLevel: String = "info", pageTokenSecret: String? = nil,
        authEnvironment: [String: String] = [:]
    ) {
        self.service = service
        self.executablePath = binDirectory.hasSuffix("/")
            ? binDirectory + service.executable : binDirectory + "/" + service.executable
        var arguments = [
            "--host", layout.host, "--port", String(layout.grpcPort(service)),
            "--admin-host", layout.host, "--admin-port", String(layout.adminPort(service)),
            "--data-dir", dataDirectory,
            "--log-format", logFormat, "--log-level", logLevel,
        ]
        for peer in service.peers {
            guard let peerService = MeshService.named(peer) else { continue }
            arguments += ["--peer", "\(peer)=\(layout.grpcAddress(peerService))"]
        }
        self.arguments = arguments
        self.environment = (pageTokenSecret.map { ["QE_PAGE_TOKEN_SECRET": $0] } ?? [:]).merging(authEnvironment) { $1 }
    }

    /// The command as a person would type it (for error messages and `--dry-run`).
    public var displayString: String {
        ([executablePath] + arguments).joined(separator: " ")
    }
}
