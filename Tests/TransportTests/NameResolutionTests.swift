import RPCCore
@testable import Transport
import XCTest

/// A target name with several addresses becomes one subchannel per address.
final class NameResolutionTests: XCTestCase {
    func testSystemResolverFindsLocalhost() async throws {
        XCTAssertTrue(NameResolver.lookUp(host: "localhost").contains("127.0.0.1"), "\(NameResolver.lookUp(host: "localhost"))")
        XCTAssertEqual(NameResolver.lookUp(host: "127.0.0.1"), ["127.0.0.1"])
        XCTAssertEqual(NameResolver.lookUp(host: "no-such-host.invalid"), [])

        // A call to a name, over whatever addresses it has.
        let server = GRPCServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0), services: [NamedService(name: "lo")])
        try await server.start()
        let channel = try GRPCChannel(target: "localhost:\(server.port!)")
        defer { channel.close() }
        let echo = try await EchoClient(channel: channel).unary("who", options: CallOptions(deadline: .after(.seconds(5))))
        XCTAssertEqual(echo.text, "lo")
        await server.shutdown(gracePeriod: .seconds(1))
    }

    /// `mesh.test` resolves (through an injected resolver) to two loopback addresses that
    /// serve the same port: round-robin spreads, pick-first falls over.
    func testNameWithTwoAddressesSpreadsAndFailsOver() async throws {
        let first = GRPCServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0), services: [NamedService(name: "a")])
        try await first.start()
        let port = first.port!
        let second = GRPCServer(configuration: ServerConfiguration(host: "127.0.0.2", port: port), services: [NamedService(name: "b")])
        try await second.start()
        let resolver = NameResolver { endpoint in
            endpoint.host == "mesh.test" ? ["127.0.0.1", "127.0.0.2"].map { Endpoint(host: $0, port: endpoint.port) } : [endpoint]
        }

        var roundRobin = ChannelConfiguration()
        roundRobin.loadBalancing = .roundRobin
        let spread = try GRPCChannel(target: "mesh.test:\(port)", configuration: roundRobin, resolver: resolver)
        defer { spread.close() }
        var seen: [String: Int] = [:]
        for _ in 0..<6 {
            let response = try await spread.unaryWithMetadata(
                EchoMethods.unary, request: RawMessage("who"), responseType: RawMessage.self)
            seen[response.message.text, default: 0] += 1
        }
        XCTAssertEqual(seen, ["a": 3, "b": 3])

        let pickFirst = try GRPCChannel(target: "mesh.test:\(port)", configuration: ChannelConfiguration(), resolver: resolver)
        defer { pickFirst.close() }
        let before = try await EchoClient(channel: pickFirst).unary("who").text
        XCTAssertEqual(before, "a")
        await first.shutdown(gracePeriod: .seconds(1))
        let after = try await EchoClient(channel: pickFirst).unary("who").text
        XCTAssertEqual(after, "b")
        await second.shutdown(gracePeriod: .seconds(1))
    }
}
