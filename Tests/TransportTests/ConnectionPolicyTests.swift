import RPCCore
import Transport
import XCTest

/// Server connection management: ping strikes, max connection age.
final class ConnectionPolicyTests: XCTestCase {
    func testTooManyPingsEndsTheConnection() async throws {
        var serverConfiguration = ServerConfiguration(host: "127.0.0.1", port: 0)
        serverConfiguration.connectionPolicy.minPingInterval = .seconds(10)
        serverConfiguration.connectionPolicy.maxPingStrikes = 2
        let server = GRPCServer(configuration: serverConfiguration, services: [TestEchoService()])
        try await server.start()
        var channelConfiguration = ChannelConfiguration()
        channelConfiguration.keepalive = ClientKeepalive(time: .milliseconds(50), permitWithoutCalls: true)
        let channel = try GRPCChannel(target: "127.0.0.1:\(server.port!)", configuration: channelConfiguration)
        defer { channel.close() }
        // A long call on an abusive connection: the server's GOAWAY ENHANCE_YOUR_CALM ends it early.
        let started = ContinuousClock.now
        await assertThrows(code: .unavailable) {
            _ = try await EchoClient(channel: channel).unary("sleep:3000")
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2))
        await server.shutdown(gracePeriod: .seconds(1))
    }

    func testMaxConnectionAgeDrainsAndClientReconnects() async throws {
        var serverConfiguration = ServerConfiguration(host: "127.0.0.1", port: 0)
        serverConfiguration.connectionPolicy.maxConnectionAge = .milliseconds(200)
        serverConfiguration.connectionPolicy.maxConnectionAgeGrace = .seconds(5)
        let server = GRPCServer(configuration: serverConfiguration, services: [TestEchoService()])
        try await server.start()
        let channel = try GRPCChannel(target: "127.0.0.1:\(server.port!)")
        defer { channel.close() }
        let client = EchoClient(channel: channel)
        // Outlives the connection's age: drained, not cut off.
        let slow = try await client.unary("sleep:600")
        XCTAssertEqual(slow.text, "sleep:600")
        // Later calls go over a fresh connection.
        for index in 0..<3 {
            let echo = try await client.unary(RawMessage("again \(index)"))
            XCTAssertEqual(echo.text, "again \(index)")
            try await Task.sleep(for: .milliseconds(150))
        }
        await server.shutdown(gracePeriod: .seconds(1))
    }
}
