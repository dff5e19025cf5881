import Foundation
import RPCCore
import Transport
import XCTest

/// `ServerConfiguration.busyPollWindow`: calls work as usual, and the loop stops spinning once
/// the window after the last write has passed (it must not keep a core busy while idle).
final class BusyPollTests: XCTestCase {
    private func startServer(window: Duration) async throws -> GRPCServer {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.busyPollWindow = window
        let server = GRPCServer(configuration: configuration, services: [TestEchoService()])
        try await server.start()
        return server
    }

    func testCallsOfEveryKindWorkWhileTheLoopBusyPolls() async throws {
        let server = try await startServer(window: .microseconds(50))
        let channel = try GRPCChannel(target: "127.0.0.1:\(server.port!)")
        defer { channel.close() }
        let client = EchoClient(channel: channel)
        for index in 0..<200 {
            let echo = try await client.unary(RawMessage("call \(index)"))
            XCTAssertEqual(echo.text, "call \(index)")
        }
        let streamed = try await client.serverStream("count:500") { response in
            var texts: [String] = []
            for try await message in response.messages { texts.append(message.text) }
            return texts
        }
        XCTAssertEqual(streamed, (0..<500).map(String.init))
        await server.shutdown(gracePeriod: .seconds(1))
    }

    func testTheLoopGoesIdleOnceTheWindowHasPassed() async throws {
        // A long window, so that a poller that never stopped would show plainly.
        let server = try await startServer(window: .milliseconds(20))
        let channel = try GRPCChannel(target: "127.0.0.1:\(server.port!)")
        defer { channel.close() }
        _ = try await EchoClient(channel: channel).unary(RawMessage("wake"))
        try await Task.sleep(for: .milliseconds(100))  // the window ends
        let before = Self.processCPUTime()
        try await Task.sleep(for: .milliseconds(600))
        let spent = Self.processCPUTime() - before
        XCTAssertLessThan(spent, 0.15, "the process used \(spent) s of CPU in 0.6 s of idling: the poller kept spinning")
        await server.shutdown(gracePeriod: .seconds(1))
    }

    /// User + system CPU seconds of this process.
    private static func processCPUTime() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
