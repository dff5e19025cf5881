import Foundation
import MeteringAPI
@testable import MeteringDomain
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit
import XCTest

/// A migrated metering store in a fresh temp directory, and the operations over it with a
/// fixed clock (so "future" and "expected up to now" are deterministic).
struct MeteringHarness {
    /// 2025-03-01T00:00:00Z: fixtures read the days before it.
    static let now: Int64 = 1_740_787_200
    static let secret = Array("metering-tests-page-token-secret".utf8)

    let directory: String
    let store: SQLiteStore
    let operations: MeteringOperations

    static func make(premises: (any PremiseDirectory)? = nil) async throws -> MeteringHarness {
        let directory = NSTemporaryDirectory() + "metering-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try await SQLiteStore.open(path: directory + "/metering.sqlite3", schema: MeteringSchema.schema)
        let clock = MeteringClock { Date(timeIntervalSince1970: TimeInterval(now)) }
        let operations = MeteringOperations(store: store, pages: PageTokenCodec(secret: secret), premises: premises, clock: clock)
        return MeteringHarness(directory: directory, store: store, operations: operations)
    }

    func close() async {
        await store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func readingCount() async throws -> Int64 {
        try await store.read { db in try db.scalar("SELECT COUNT(*) FROM readings", as: Int64.self) ?? 0 }
    }

    /// Creates a 15-minute kWh meter point (installed long before the fixtures) and returns its id.
    func createMeterPoint(
        premise: String = Fixtures.premiseID, purpose: MeterPointPurpose = .revenue, timeZone: String = ""
    ) async throws -> String {
        let response = try await operations.createMeterPoint(.with { $0.meterPoint = Fixtures.meterPoint(premise: premise, purpose: purpose, timeZone: timeZone) })
        return try XCTUnwrap(response.meterPoint?.meterPointID)
    }

    /// Ingests `batches` as one stream and returns its summary.
    func ingest(_ batches: [[MeterReading]]) async throws -> IngestSummary {
        let ingestion = operations.readingIngestion()
        for batch in batches { try await ingestion.ingest(.with { $0.readings = batch }) }
        return try XCTUnwrap(ingestion.response.summary)
    }
}

enum Fixtures {
    /// A manual correction of the delivered interval reading at `start` to `milli`.
    static func correction(_ meterPointID: String, _ start: Int64, milli: Int64 = 1, requestID: String) -> EditReadingRequest {
        .with {
            $0.meterPointID = meterPointID
            $0.intervalStart = Timestamp(seconds: start)
            $0.kind = .interval
            $0.channel = .delivered
            $0.value = .with { $0.milliValue = milli }
            $0.reason = "manual correction"
            $0.requestID = requestID
        }
    }

    static let premiseID = "PRM-" + String(repeating: "1", count: 26)
    static let otherPremiseID = "PRM-" + String(repeating: "2", count: 26)
    static let deviceID = "AST-" + String(repeating: "3", count: 26)
    static let day: Int64 = 86_400
    static let interval: Int64 = 900
    /// 2025-02-01T00:00:00Z, a Saturday, 28 days before `MeteringHarness.now`.
    static let february: Int64 = 1_738_368_000

    static func missingID(_ prefix: String) -> String { prefix + "-" + String(repeating: "0", count: 26) }

    static func meterPoint(premise: String = premiseID, purpose: MeterPointPurpose = .revenue, timeZone: String = "") -> MeterPoint {
        .with {
            $0.premiseID = premise
            $0.commodity = .electric
            $0.unit = .kwh
            $0.intervalLength = ProtoDuration(seconds: interval)
            $0.purpose = purpose
            $0.regulatoryScope = .regulated
            $0.timeZone = timeZone
            $0.installTime = Timestamp(seconds: february - 365 * day)
        }
    }

    static func reading(
        _ meter: String, _ start: Int64, _ milli: Int64, channel: ReadingChannel = .delivered,
        quality: ReadingQuality = .actual, kind: ReadingKind = .interval
    ) -> MeterReading {
        .with {
            $0.meterPointID = meter
            $0.intervalStart = Timestamp(seconds: start)
            $0.kind = kind
            $0.channel = channel
            $0.value = .with { $0.milliValue = milli; $0.unit = .kwh }
            $0.quality = quality
        }
    }

    static func range(_ start: Int64, _ end: Int64) -> TimeRange {
        .with {
            $0.startTime = Timestamp(seconds: start)
            $0.endTime = Timestamp(seconds: end)
        }
    }
}

/// Asserts that `body` throws an error whose gRPC status has `code` (and whose message
/// contains `fragment`, when given).
func assertStatus<T>(
    _ code: StatusCode, _ fragment: String? = nil, file: StaticString = #filePath, line: UInt = #line,
    _ body: () async throws -> T
) async {
    do {
        _ = try await body()
        XCTFail("expected \(code.name), but the call succeeded", file: file, line: line)
    } catch {
        let status = RPCError(from: error)
        XCTAssertEqual(status.code, code, "unexpected status: \(status)", file: file, line: line)
        if let fragment {
            XCTAssertTrue(status.message.contains(fragment), "'\(status.message)' does not mention '\(fragment)'", file: file, line: line)
        }
    }
}

/// A copy of `message` with `change` applied (fixtures change one thing at a time).
func modified<Message>(_ message: Message, _ change: (inout Message) -> Void) -> Message {
    var copy = message
    change(&copy)
    return copy
}
