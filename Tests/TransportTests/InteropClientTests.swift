import RPCCore
import Transport
import XCTest

/// Our client against grpcio's server (the reference implementation).
final class InteropClientTests: XCTestCase {
    func testOurClientAgainstReferenceServer() async throws {
        let (process, port) = try await PythonPeer.startServer("echo_server.py")
        defer { process.terminate() }
        let channel = try GRPCChannel(target: "127.0.0.1:\(port)")
        defer { channel.close() }
        try await EchoScenarios.runAll(EchoClient(channel: channel))
    }
}
