import Foundation
import MeteringAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import Synchronization
import Transport
import XCTest

/// kill -9 of the real `metering-service` while batches are being ingested: after a restart on
/// the same data directory every acknowledged reading is there.
final class CrashRecoveryTests: XCTestCase {
    /// The built executable, beside the test bundle (as `swift build --build-tests` leaves it).
    private static func executable() throws -> String {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            let candidate = url.appendingPathComponent("metering-service").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            url.deleteLastPathComponent()
        }
        throw XCTSkip("metering-service not found next to the test bundle; build with `swift build --build-tests`")
    }

    /// A running service process and the gRPC port it logged.
    private struct ServiceProcess {
        let process: Process
        let port: Int

        static func start(dataDirectory: String, log: URL) async throws -> ServiceProcess {
            guard FileManager.default.createFile(atPath: log.path, contents: nil) else { throw XCTSkip("cannot create \(log.path)") }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try executable())
            process.arguments = [
                "--host", "127.0.0.1", "--port", "0", "--admin-host", "127.0.0.1", "--admin-port", "0",
                "--data-dir", dataDirectory, "--log-format", "json", "--page-token-secret", "crash-test-page-token-secret",
            ]
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                if let range = text.range(of: #""grpc":"127.0.0.1:"#) {
                    let digits = text[range.upperBound...].prefix { $0.isNumber }
                    if let port = Int(digits) { return ServiceProcess(process: process, port: port) }
                }
                guard process.isRunning else { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            process.terminate()
            throw XCTSkip("metering-service did not start serving; its log:\n" + ((try? String(contentsOf: log, encoding: .utf8)) ?? ""))
        }
    }

    func testKillNineDuringIngestionLosesNoAcknowledgedReading() async throws {
        let directory = NSTemporaryDirectory() + "metering-crash-" + UUID().uuidString
        let log = URL(fileURLWithPath: directory + ".log")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(at: log)
        }
        let first = try await ServiceProcess.start(dataDirectory: directory, log: log)
        let channel = try GRPCChannel(target: "127.0.0.1:\(first.port)")
        let client = MeteringServiceClient(channel: channel)
        let created = try await client.createMeterPoint(.with { $0.meterPoint = Fixtures.meterPoint() })
        let meter = try XCTUnwrap(created.meterPoint?.meterPointID)

        // Batches of 500 consecutive intervals, one stream each, one after another; kill -9
        // once a few were acknowledged, while the next one is in flight.
        let batchSize = 500
        let start = Fixtures.february - 300 * Fixtures.day
        let acknowledged = Mutex(0)
        let ingestion = Task {
            for batch in 0..<1000 {
                let rows = (0..<batchSize).map { index in
                    Fixtures.reading(meter, start + Int64(batch * batchSize + index) * Fixtures.interval, 1000 + Int64(index))
                }
                let summary = try await client.ingestReadings { writer in try await writer.write(.with { $0.readings = rows }) }.summary
                XCTAssertEqual(summary?.acceptedCount, Int64(batchSize))
                acknowledged.withLock { $0 += batchSize }
            }
        }
        while acknowledged.withLock({ $0 }) < 5 * batchSize { try await Task.sleep(for: .milliseconds(5)) }
        kill(first.process.processIdentifier, SIGKILL)
        first.process.waitUntilExit()
        _ = await ingestion.result  // fails with UNAVAILABLE: the batch in flight was not acknowledged
        let acked = acknowledged.withLock { $0 }
        channel.close()

        let second = try await ServiceProcess.start(dataDirectory: directory, log: log)
        let reopened = try GRPCChannel(target: "127.0.0.1:\(second.port)")
        defer {
            reopened.close()
            second.process.terminate()
            second.process.waitUntilExit()
        }
        let stored = try await MeteringServiceClient(channel: reopened).streamReadings(
            .with {
                $0.meterPointID = meter
                $0.timeRange = Fixtures.range(start, start + 1000 * Int64(batchSize) * Fixtures.interval)
                $0.chunkSize = 10_000
            }
        ) { response in
            var starts: [Int64] = []
            for try await chunk in response.messages { starts += chunk.readings.compactMap { $0.intervalStart?.seconds } }
            return starts
        }
        XCTAssertGreaterThanOrEqual(stored.count, acked, "acknowledged \(acked) readings, found \(stored.count) after restart")
        let expectedPrefix = (0..<acked).map { start + Int64($0) * Fixtures.interval }
        XCTAssertEqual(Array(stored.prefix(acked)), expectedPrefix, "every acknowledged reading is there, in order")
        XCTAssertEqual(stored.count % batchSize, 0, "a batch is committed whole or not at all")
    }
}
