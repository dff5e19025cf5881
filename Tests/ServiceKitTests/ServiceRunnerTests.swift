import Foundation
import GRPCHealthV1
import Logging
import RPCCore
import ServiceKit
import Transport
import XCTest
import ServiceTestSupport

/// A service with one slow unary call that writes to the store, to watch a drain happen.
private struct SlowService: RPCService {
    static let wait = MethodDescriptor(service: "servicekit.test.Slow", method: "Wait", kind: .unary)
    let store: any Store

    var serviceName: String { "servicekit.test.Slow" }

    var methodHandlers: [any RPCMethodHandler] {
        let store = self.store
        return [
            MethodHandler<HealthCheckRequest, HealthCheckResponse>.unary(Self.wait) { request, _ in
                try await Task.sleep(for: .milliseconds(400))
                try await store.write { tx in try tx.execute("INSERT INTO calls (name) VALUES (?)", request.service) }
                return .with { $0.status = .serving }
            }
        ]
    }
}

final class ServiceRunnerTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private let schema = try! StoreSchema([Migration(version: 1, name: "calls", sql: "CREATE TABLE calls (name TEXT NOT NULL)")])

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private func configuration() throws -> ServiceConfiguration {
        try ServiceOptions.parse([
            "--host", "127.0.0.1", "--port", "0", "--admin-host", "127.0.0.1", "--admin-port", "0",
            "--data-dir", directory.path, "--shutdown-grace", "5",
        ]).resolve(
            defaults: ServiceDefaults(serviceName: "test", port: 0, adminPort: 0), environment: [:],
            standardOutputIsTerminal: false)
    }

    private func waitUntilServing(_ runner: ServiceRunner) async throws {
        for _ in 0..<500 where runner.currentPhase != .serving { try await Task.sleep(for: .milliseconds(10)) }
        XCTAssertEqual(runner.currentPhase, .serving)
    }

    func testServesHealthMetricsAndLogsThenDrainsOnRequest() async throws {
        let configuration = try configuration()
        guard case .sqlite(let path) = configuration.store else { return XCTFail("sqlite expected") }
        let store = try await SQLiteStore.open(path: path, schema: schema)
        let captured = CapturedLines()
        let logger = Logger(label: "test") { ServiceLogHandler(label: $0, format: .json, level: .info, output: captured.output) }
        let runner = ServiceRunner(
            configuration: configuration, services: [SlowService(store: store)], descriptors: [], store: store, logger: logger)
        let running = Task { try await runner.run(handleSignals: false) }
        try await waitUntilServing(runner)
        let adminPort = try XCTUnwrap(runner.adminPort)

        XCTAssertEqual(try HTTPTestClient.get(port: adminPort, path: "/readyz").status, 200)
        let channel = try GRPCChannel(target: "127.0.0.1:\(try XCTUnwrap(runner.grpcPort))")
        defer { channel.close() }
        let health = try await HealthClient(channel: channel).check(HealthCheckRequest())
        XCTAssertEqual(health.status, .serving)

        let metrics = try HTTPTestClient.get(port: adminPort, path: "/metrics").body
        XCTAssertTrue(
            metrics.contains(#"grpc_server_handled_total{grpc_service="grpc.health.v1.Health",grpc_method="Check",grpc_type="unary",grpc_code="OK"} 1"#),
            metrics)
        XCTAssertTrue(captured.all.contains { $0.contains(#""rpc.method":"/grpc.health.v1.Health/Check""#) && $0.contains(#""rpc.code":"OK""#) })

        // A call in flight when shutdown starts still completes, and its write is kept.
        let inFlight = Task {
            try await channel.unary(SlowService.wait, request: HealthCheckRequest.with { $0.service = "late" }, options: CallOptions())
                as HealthCheckResponse
        }
        try await Task.sleep(for: .milliseconds(150))
        runner.requestShutdown(reason: "test")
        try await Task.sleep(for: .milliseconds(50))
        XCTAssertEqual(runner.health.status(of: ""), .notServing, "NOT_SERVING before the drain ends")
        XCTAssertEqual(try HTTPTestClient.get(port: adminPort, path: "/readyz").status, 503, "not ready while draining")
        let answer = try await inFlight.value
        XCTAssertEqual(answer.status, .serving)
        try await running.value

        XCTAssertEqual(runner.currentPhase, .stopped)
        await assertThrowsStoreError(try await store.read { db in try db.query("SELECT 1") }) { $0 == .closed }
        XCTAssertThrowsError(try HTTPTestClient.get(port: adminPort, path: "/healthz"), "the admin port is closed")
        let reopened = try await SQLiteStore.open(path: path, schema: schema)
        let names = try await reopened.read { db in try db.query("SELECT name FROM calls").map { try $0.get(0, as: String.self) } }
        XCTAssertEqual(names, ["late"])
        await reopened.close()
        XCTAssertTrue(captured.all.contains { $0.contains(#""message":"stopped""#) })
    }

    func testSIGTERMStartsTheDrainAndRunReturns() async throws {
        let configuration = try configuration()
        let runner = ServiceRunner(
            configuration: configuration, services: [], descriptors: [], store: nil,
            logger: Logger(label: "test") { ServiceLogHandler(label: $0, format: .json, level: .critical, output: LogOutput { _ in }) })
        let running = Task { try await runner.run(handleSignals: true) }
        try await waitUntilServing(runner)
        kill(getpid(), SIGTERM)
        try await running.value
        XCTAssertEqual(runner.currentPhase, .stopped)
        XCTAssertEqual(runner.health.status(of: ""), .notServing)
    }
}
