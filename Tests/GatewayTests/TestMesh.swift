import Foundation
import GatewayCore

/// The five domain services and the gateway, each a real child process on a free loopback
/// port with its own temp data dir. `stopAll` leaves nothing running.
final class TestMesh: @unchecked Sendable {
    // @unchecked Sendable: set up once, then used from the test's serial methods only.
    let root: String
    private(set) var services: [DownstreamService: ServiceProcess] = [:]
    private(set) var gateway: ServiceProcess?

    init() {
        root = NSTemporaryDirectory() + "gateway-tests-" + UUID().uuidString
    }

    func start() throws {
        do {
            // customer first: metering checks premises with it.
            for service in [DownstreamService.customer, .metering, .asset, .outage, .finance] {
                let process = ServiceProcess(executable: try ServiceProcess.binary(service.displayName), dataDirectory: "\(root)/\(service.rawValue)")
                services[service] = process
                try process.start(arguments: arguments(for: service))
            }
            let gateway = ServiceProcess(executable: try ServiceProcess.binary("gateway"), dataDirectory: "\(root)/gateway")
            self.gateway = gateway
            // A wider deadline margin than the default 50 ms, so a loaded test machine still
            // answers partial results before the caller's deadline.
            try gateway.start(arguments: ["--deadline-margin", "0.15"]
                + DownstreamService.allCases.flatMap { ["--peer", "\($0.peerName)=127.0.0.1:\(port(of: $0))"] })
        } catch {
            stopAll()
            throw error
        }
    }

    func port(of service: DownstreamService) -> Int { services[service]?.port ?? 0 }
    var gatewayPort: Int { gateway?.port ?? 0 }

    /// Starts a stopped downstream again on the port it had, with the same data.
    func restart(_ service: DownstreamService) throws {
        guard let process = services[service] else { return }
        try process.start(port: process.port, arguments: arguments(for: service))
    }

    private func arguments(for service: DownstreamService) -> [String] {
        service == .metering ? ["--peer", "customer=127.0.0.1:\(port(of: .customer))"] : []
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
