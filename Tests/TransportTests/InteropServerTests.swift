import RPCCore
import Transport
import XCTest

/// grpcio's client (the reference implementation) against our server.
final class InteropServerTests: XCTestCase {
    func testReferenceClientAgainstOurServer() async throws {
        let service = TestEchoService()
        let server = GRPCServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0), services: [service])
        try await server.start()
        let port = try XCTUnwrap(server.port)

        let result = try await PythonPeer.run("echo_client.py", [String(port)])
        let lines = result.output.split(separator: "\n")
        let passed = lines.filter { $0.hasPrefix("PASS ") }
        for line in lines where !line.hasPrefix("PASS ") { XCTFail(String(line)) }
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertGreaterThanOrEqual(passed.count, 20, result.output)

        // cancel_after_begin: the handler saw the client's RST_STREAM as task cancellation.
        let events = await service.events.events
        XCTAssertTrue(events.contains("cancelled Unary"), "\(events)")
        await server.shutdown(gracePeriod: .seconds(1))
    }
}
