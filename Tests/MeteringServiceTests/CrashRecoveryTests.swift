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
    func testKillNineDuringIngestionLosesNoAcknowledgedReading() async throws {
        try await killDuringIngestion(batchesPerStream: 1)
    }

    /// Streams of several batches: the service queues a stream's next batch while the previous
    /// one commits, and answers after the last; still nothing acknowledged is lost, and the
    /// store holds whole batches in stream order.
    func testKillNineDuringMultiBatchStreamsLosesNoAcknowledgedReading() async throws {
        try await killDuringIngestion(batchesPerStream: 4)
    }

    private func killDuringIngestion(batchesPerStream: Int) async throws {
        let directory = NSTemporaryDirectory() + "metering-crash-" + UUID().uuidString
        let log = URL(fileURLWithPath: directory + ".log")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(at: log)
        }
        let first = try await ServiceProcess.start("metering-service", dataDirectory: directory, log: log)
        let channel = try GRPCChannel(target: "127.0.0.1:\(first.port)")
        let client = MeteringServiceClient(channel: channel)
        let created = try await client.createMeterPoint(.with { $0.meterPoint = Fixtures.meterPoint() })
        let meter = try XCTUnwrap(created.meterPoint?.meterPointID)

        // Streams of 500 consecutive intervals in `batchesPerStream` batches, one stream after
        // another; kill -9 once a few were acknowledged, while the next one is in flight.
        let streamSize = 500
        let batchSize = streamSize / batchesPerStream
        let start = Fixtures.february - 300 * Fixtures.day
        let acknowledged = Mutex(0)
        let ingestion = Task {
            for stream in 0..<1000 {
                let rows = (0..<streamSize).map { index in
                    Fixtures.reading(meter, start + Int64(stream * streamSize + index) * Fixtures.interval, 1000 + Int64(index))
                }
                let summary = try await client.ingestReadings { writer in
                    for batch in stride(from: 0, to: streamSize, by: batchSize) {
                        try await writer.write(.with { $0.readings = Array(rows[batch..<batch + batchSize]) })
                    }
                }.summary
                XCTAssertEqual(summary?.acceptedCount, Int64(streamSize))
                acknowledged.withLock { $0 += streamSize }
            }
        }
        while acknowledged.withLock({ $0 }) < 5 * streamSize { try await Task.sleep(for: .milliseconds(5)) }
        first.stop(SIGKILL)
        _ = await ingestion.result  // fails with UNAVAILABLE: the batch in flight was not acknowledged
        let acked = acknowledged.withLock { $0 }
        channel.close()

        let second = try await ServiceProcess.start("metering-service", dataDirectory: directory, log: log)
        let reopened = try GRPCChannel(target: "127.0.0.1:\(second.port)")
        defer {
            reopened.close()
            second.stop()
        }
        let stored = try await MeteringServiceClient(channel: reopened).streamReadings(
            .with {
                $0.meterPointID = meter
                $0.timeRange = Fixtures.range(start, start + 1000 * Int64(streamSize) * Fixtures.interval)
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
