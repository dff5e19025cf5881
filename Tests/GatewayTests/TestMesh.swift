import Foundation
import GatewayCore

/// The five domain services and the gateway, each a real child process on a free loopback
/// port with its own temp data dir. `stopAll` leaves nothing running.
final class TestMesh: @unchecked Sendable {
    // @unchecked Sendable: set up once, then used from the test's serial methods only.
    let root: String
    private(set) var services: [DownstreamService: ServiceProcess] = [:]
    private(set) var gateway: ServiceProcess?
    /// nil: every child runs with authentication off.
    let authentication: MeshAuthentication?

    init(authentication: MeshAuthentication? = nil) {
        root = NSTemporaryDirectory() + "gateway-tests-" + UUID().uuidString
        self.authentication = authentication
    }

    func start() throws {
        do {
            // customer first: metering checks premises with it.
            for service in [DownstreamService.customer, .metering, .asset, .outage, .finance] {
                let process = ServiceProcess(executable: try ServiceProcess.binary(service.displayName), dataDirectory: "\(root)/\(service.rawValue)")
                services[service] = process
                try process.start(arguments: arguments(for: service), environment: environment(for: service))
            }
            let gateway = ServiceProcess(executable: try ServiceProcess.binary("gateway"), dataDirectory: "\(root)/gateway")
            self.gateway = gateway
            // A wider deadline margin than the default 50 ms, so a loaded test machine still
            // answers partial results before the caller's deadline.
            try gateway.start(
                arguments: ["--deadline-margin", "0.15"]
                    + DownstreamService.allCases.flatMap { ["--peer", "\($0.peerName)=127.0.0.1:\(port(of: $0))"] },
                environment: environment(for: nil))
        } catch {
            stopAll()
            throw error
        }
    }

    func port(of service: DownstreamService) -> Int { services[service]?.port ?? 0 }
    var gatewayPort: Int { gateway?.port ?? 0 }
    /// The gateway's admin port: /metrics, the probes and the JSON front.
    var gatewayAdminPort: Int { gateway?.adminPort ?? 0 }

    /// Starts a stopped downstream again on the port it had, with the same data.
    func restart(_ service: DownstreamService) throws {
        guard let process = services[service] else { return }
        try process.start(port: process.port, arguments: arguments(for: service), environment: environment(for: service))
    }

    /// metering checks premises with customer-service; with authentication on, finance asks it
    /// whose an account is too.
    private func arguments(for service: DownstreamService) -> [String] {
        let askCustomers = service == .metering || (service == .finance && authentication != nil)
        return askCustomers ? ["--peer", "customer=127.0.0.1:\(port(of: .customer))"] : []
    }

    /// `service` nil: the gateway.
    private func environment(for service: DownstreamService?) -> [String: String] {
        guard let authentication else { return [:] }
        var environment = ["QE_AUTH_PUBLIC_KEY": authentication.publicKeyPath]
        if service == .finance || service == .metering { environment["QE_AUTH_SERVICE_TOKEN_FILE"] = authentication.serviceTokenPath }
        return environment
    }

    func stopAll() {
        gateway?.stop()
        for process in services.values { process.stop() }
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Every child's log, for a failure message.
    var logs: String {
        (Array(services.values) + [gateway].compactMap { $0 }).map { "== \($0.executable)\n\($0.logText)" }.joined(separator: "\n")
    }
}
