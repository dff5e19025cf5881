import Foundation
import ServiceTestSupport
import XCTest

/// gRPC's interop test cases, run between real processes: our interop-server and
/// interop-client, and the reference implementation (Python grpcio, C-core underneath).
final class InteropTests: XCTestCase {
    private func startOurServer() throws -> (ChildProcess, Int) {
        let server = ChildProcess(try PeerProcess.ourExecutable("interop-server"), ["--port", "0"])
        try server.start()
        return (server, try server.waitForPort())
    }

    private func assertAllPassed(_ result: (status: Int32, output: String), cases: Int, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.status, 0, result.output, file: file, line: line)
        XCTAssertTrue(result.output.contains("\(cases) passed, 0 failed"), result.output, file: file, line: line)
    }

    func testReferenceClientPassesEveryCaseAgainstOurServer() throws {
        let (server, port) = try startOurServer()
        defer { server.stop() }
        let result = try PeerProcess.run(try PeerProcess.python(), [
            PeerProcess.script("interop_client.py"), "--server_host", "127.0.0.1", "--server_port", "\(port)", "--test_case", "all",
        ])
        assertAllPassed(result, cases: 18)
    }

    /// grpcio pings (BDP probes) while it reads a busy stream; the server must not answer
    /// GOAWAY too_many_pings while it is the one sending (it did, before messages forgave pings).
    func testReferenceClientReadsLongServerStreamsWithoutBeingCalledAbusive() throws {
        let (server, port) = try startOurServer()
        defer { server.stop() }
        let result = try PeerProcess.run(try PeerProcess.python(), [PeerProcess.script("long_server_stream.py"), "--port", "\(port)"])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("long streams: OK 6000"), result.output)
    }

    func testOurClientPassesEveryCaseAgainstTheReferenceServer() throws {
        let server = ChildProcess(try PeerProcess.python(), [PeerProcess.script("interop_server.py"), "--port", "0"])
        try server.start()
        defer { server.stop() }
        let port = try server.waitForPort()
        // grpcio's Python server cannot see a message's compressed flag, so it accepts the
        // compression feature probe; the compressed calls themselves are still checked.
        let result = try PeerProcess.run(try PeerProcess.ourExecutable("interop-client"), [
            "--server_host", "127.0.0.1", "--server_port", "\(port)", "--test_case", "all", "--strict_compression_probe=false",
        ])
        assertAllPassed(result, cases: 18)
    }

    func testOurClientPassesEveryCaseAgainstOurServer() throws {
        let (server, port) = try startOurServer()
        defer { server.stop() }
        let result = try PeerProcess.run(try PeerProcess.ourExecutable("interop-client"), [
            "--server_port", "\(port)", "--test_case", "all",
        ])
        assertAllPassed(result, cases: 18)
    }

    func testSingleCaseFlagsWorkAsInGRPCsOwnInteropPrograms() throws {
        let (server, port) = try startOurServer()
        defer { server.stop() }
        let passing = try PeerProcess.run(try PeerProcess.ourExecutable("interop-client"), [
            "--server_host=127.0.0.1", "--server_port=\(port)", "--test_case=large_unary",
        ])
        assertAllPassed(passing, cases: 1)
        let unknown = try PeerProcess.run(try PeerProcess.ourExecutable("interop-client"), [
            "--server_port=\(port)", "--test_case=no_such_case",
        ])
        XCTAssertNotEqual(unknown.status, 0, unknown.output)
    }

    func testHealthAndReflectionWithTheReferenceStubs() throws {
        let (server, port) = try startOurServer()
        defer { server.stop() }
        let result = try PeerProcess.run(try PeerProcess.python(), [
            PeerProcess.script("health_reflection_check.py"), "--port", "\(port)",
            "--service", "grpc.testing.TestService", "--method", "EmptyCall",
        ])
        assertAllPassed(result, cases: 11)
    }

    func testServerStopsCleanlyOnSIGTERM() throws {
        let (server, port) = try startOurServer()
        XCTAssertGreaterThan(port, 0)
        XCTAssertEqual(server.stop(), 0, server.output)
    }
}
