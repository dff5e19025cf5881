/// The six processes of the mesh, their executables, default ports and who calls whom.
/// One place for these facts: the runner, the CLI's default addresses and the tests read them.
public struct MeshService: Sendable, Hashable {
    /// Short name: log prefix, `--peer` name, `QE_<NAME>_ADDR`.
    public let name: String
    /// The executable in the build directory.
    public let executable: String
    /// Offset from the base ports (gateway 0, customer 1, … finance 5).
    public let portOffset: Int
    /// The services it calls, passed as `--peer name=host:port`.
    public let peers: [String]

    /// customer-service … finance-service, then the gateway (it calls the five).
    public static let customer = MeshService(name: "customer", executable: "customer-service", portOffset: 1, peers: [])
    public static let metering = MeshService(name: "metering", executable: "metering-service", portOffset: 2, peers: ["customer"])
    public static let asset = MeshService(name: "asset", executable: "asset-service", portOffset: 3, peers: [])
    public static let outage = MeshService(name: "outage", executable: "outage-service", portOffset: 4, peers: [])
    /// Finance asks customer-service whose an account is and which consents exist (issue 11).
    public static let finance = MeshService(name: "finance", executable: "finance-service", portOffset: 5, peers: ["customer"])
    public static let gateway = MeshService(
        name: "gateway", executable: "gateway", portOffset: 0,
        peers: ["customer", "metering", "asset", "outage", "finance"])

    /// In start order: the domain services first, the gateway last.
    public static let all: [MeshService] = [.customer, .metering, .asset, .outage, .finance, .gateway]

    public static func named(_ name: String) -> MeshService? { all.first { $0.name == name } }
}

/// Where each service of one mesh listens: `host`, gRPC ports from `grpcPortBase`, admin
/// ports from `adminPortBase` (defaults 50060… and 9460…, the services' own defaults).
public struct MeshLayout: Sendable, Hashable {
    public static let defaultGRPCPortBase = 50060
    public static let defaultAdminPortBase = 9460

    public var host: String
    public var grpcPortBase: Int
    public var adminPortBase: Int

    public init(host: String = "127.0.0.1", grpcPortBase: Int = defaultGRPCPortBase, adminPortBase: Int = defaultAdminPortBase) {
        self.host = host
        self.grpcPortBase = grpcPortBase
        self.adminPortBase = adminPortBase
    }

    public func grpcPort(_ service: MeshService) -> Int { grpcPortBase + service.portOffset }
    public func adminPort(_ service: MeshService) -> Int { adminPortBase + service.portOffset }
    public func grpcAddress(_ service: MeshService) -> String { "\(host):\(grpcPort(service))" }
    public func adminURL(_ service: MeshService) -> String { "http://\(host):\(adminPort(service))" }
}
