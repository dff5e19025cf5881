import Foundation
import GatewayAPI
import GatewayCore
import GRPCHealthV1
import RPCCore
import ServiceTestSupport
import Transport
import XCTest

/// The gateway process on its own: it refuses to start without every peer (naming the missing
/// one), and starts and serves, with clear errors, while its downstreams are unreachable.
final class GatewayStartupTests: XCTestCase {
    private var directory = ""

    override func setUp() {
        directory = NSTemporaryDirectory() + "gateway-startup-" + UUID().uuidString
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testAMissingPeerStopsTheStartNamingIt() throws {
        let run = try ChildProcess.run(try ServiceProcess.binary("gateway"), [
            "--port", "0", "--admin-port", "0", "--data-dir", directory, "--peer", "customer=127.0.0.1:1", "--peer", "asset=127.0.0.1:1",
        ], timeout: .seconds(30))
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.output.contains("missing peer 'metering'"), run.output)
    }

    func testServesWhileDownstreamsAreUnreachable() async throws {
        // Ports 1..5 on loopback: nothing listens there, connections are refused at once.
        let gateway = ServiceProcess(executable: try ServiceProcess.binary("gateway"), dataDirectory: directory)
        defer { gateway.stop() }
        try gateway.start(arguments: DownstreamService.allCases.enumerated().flatMap { index, service in
            ["--peer", "\(service.peerName)=127.0.0.1:\(index + 1)", "--peer", "\(service.peerName)=127.0.0.1:\(index + 11)"]
        })
        let channel = try GRPCChannel(target: "127.0.0.1:\(gateway.port)")
        defer { channel.close() }
        let health = try await HealthClient(channel: channel).check(.with { $0.service = "" }, options: .timeout(.seconds(5)))
        XCTAssertEqual(health.status, .serving)
        do {
            _ = try await GatewayServiceClient(channel: channel).getCustomerOverview(
                .with { $0.customerID = "CUS-" + String(repeating: "0", count: 26) }, options: .timeout(.seconds(5)))
            XCTFail("the customer is essential")
        } catch {
            let status = RPCError(from: error)
            XCTAssertEqual(status.code, .unavailable, "\(status)")
            XCTAssertTrue(status.message.hasPrefix("customer-service:"), status.message)
        }
    }

    func testChannelsBalanceOverReplicasAndReconnectWithinASecond() {
        let one = GatewayClients.channelConfiguration(endpointCount: 1, maxBackoff: .seconds(1))
        XCTAssertEqual(one.loadBalancing, .pickFirst)
        let two = GatewayClients.channelConfiguration(endpointCount: 2, maxBackoff: .seconds(1))
        XCTAssertEqual(two.loadBalancing, .roundRobin)
        XCTAssertEqual(two.backoff.maxBackoff, .seconds(1))
        XCTAssertEqual(two.backoff.initialBackoff, .milliseconds(100))
    }
}
