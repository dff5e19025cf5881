import Foundation
import NIOHTTP1
import RPCCore
import ServiceKit
import Synchronization
import XCTest
import ServiceTestSupport

final class MetricsTests: XCTestCase {
    func testRPCSeriesInPrometheusTextFormat() async throws {
        let metrics = ServiceMetrics()
        let interceptor = RPCMetricsInterceptor(metrics: metrics)
        let get = MethodDescriptor(service: "quantum.customer.v1.CustomerService", method: "GetCustomer", kind: .unary)
        let list = MethodDescriptor(service: "quantum.customer.v1.CustomerService", method: "ListCustomers", kind: .serverStreaming)
        for _ in 0..<3 { try await interceptor.intercept(context: .forTesting(method: get)) {} }
        _ = try? await interceptor.intercept(context: .forTesting(method: get)) { throw RPCError(code: .notFound) }
        try await interceptor.intercept(context: .forTesting(method: list)) { try await Task.sleep(for: .milliseconds(20)) }

        let text = metrics.prometheusText()
        let labels = #"grpc_service="quantum.customer.v1.CustomerService",grpc_method="GetCustomer",grpc_type="unary""#
        XCTAssertTrue(text.contains("# TYPE grpc_server_handled_total counter"), text)
        XCTAssertTrue(text.contains("grpc_server_handled_total{\(labels),grpc_code=\"OK\"} 3"), text)
        XCTAssertTrue(text.contains("grpc_server_handled_total{\(labels),grpc_code=\"NOT_FOUND\"} 1"), text)
        XCTAssertTrue(text.contains("grpc_server_started_total{\(labels)} 4"), text)
        XCTAssertTrue(text.contains("# TYPE grpc_server_handling_seconds histogram"), text)
        XCTAssertTrue(text.contains("grpc_server_handling_seconds_count{\(labels)} 4"), text)
        let streamLabels = #"grpc_service="quantum.customer.v1.CustomerService",grpc_method="ListCustomers",grpc_type="server_stream""#
        // The 20 ms call is above the 10 ms bucket and within the 25 ms one; `le` is in seconds.
        XCTAssertTrue(text.contains("grpc_server_handling_seconds_bucket{\(streamLabels),le=\"0.01\"} 0"), text)
        XCTAssertTrue(text.contains("grpc_server_handling_seconds_bucket{\(streamLabels),le=\"+Inf\"} 1"), text)
        // Every sample line is `name{labels} value` or `name value`.
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            XCTAssertNotNil(line.range(of: #"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? [-+0-9.eEInf]+$"#, options: .regularExpression), String(line))
        }
    }
}

final class AdminServerTests: XCTestCase {
    private final class Readiness: Sendable {
        let ready = Mutex(false)
    }

    private var server: AdminServer!
    private let readiness = Readiness()
    private let metrics = ServiceMetrics()

    override func setUp() async throws {
        let readiness = self.readiness
        server = AdminServer(
            host: "127.0.0.1", port: 0, routes: AdminRoutes(metrics: metrics) { readiness.ready.withLock { $0 } })
        try await server.start()
    }

    override func tearDown() async throws {
        await server.shutdown()
    }

    private var port: Int { server.port! }

    func testHealthzAnswersWhileTheProcessRuns() throws {
        let response = try HTTPTestClient.get(port: port, path: "/healthz")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.body, "ok\n")
    }

    func testReadyzFollowsTheServicesReadiness() throws {
        XCTAssertEqual(try HTTPTestClient.get(port: port, path: "/readyz").status, 503)
        readiness.ready.withLock { $0 = true }
        let ready = try HTTPTestClient.get(port: port, path: "/readyz?verbose=1")
        XCTAssertEqual(ready.status, 200)
        XCTAssertEqual(ready.body, "ready\n")
    }

    func testMetricsServesThePrometheusText() async throws {
        let method = MethodDescriptor(service: "a.B", method: "C", kind: .unary)
        try await RPCMetricsInterceptor(metrics: metrics).intercept(context: .forTesting(method: method)) {}
        let response = try HTTPTestClient.get(port: port, path: "/metrics")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8")
        XCTAssertTrue(response.body.contains(#"grpc_server_handled_total{grpc_service="a.B",grpc_method="C",grpc_type="unary",grpc_code="OK"} 1"#), response.body)
    }

    func testUnknownPathsAre404AndOtherMethods405() throws {
        let missing = try HTTPTestClient.get(port: port, path: "/nope")
        XCTAssertEqual(missing.status, 404)
        XCTAssertTrue(missing.body.contains("/metrics"))
        let post = try HTTPTestClient.get(port: port, path: "/metrics", method: "POST")
        XCTAssertEqual(post.status, 405)
        XCTAssertEqual(post.headers["allow"], "GET, HEAD")
        let delete = try HTTPTestClient.get(port: port, path: "/healthz", method: "DELETE")
        XCTAssertEqual(delete.status, 405)
    }

    func testHeadHasTheHeadersButNoBody() throws {
        let head = try HTTPTestClient.get(port: port, path: "/healthz", method: "HEAD")
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.headers["content-length"], "3")
        XCTAssertEqual(head.body, "")
    }

    func testKeepAliveServesPipelinedRequestsInOrder() throws {
        let request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\nGET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        let responses = try HTTPTestClient.exchange(port: port, request: request, expectedResponses: 3)
        XCTAssertEqual(responses.map(\.status), [200, 404, 503])
        XCTAssertEqual(responses[0].headers["connection"], "keep-alive")
        XCTAssertEqual(responses[2].headers["connection"], "close")
    }

    func testGarbageGetsA400() throws {
        let responses = try HTTPTestClient.exchange(port: port, request: "NOT HTTP AT ALL\r\n\r\n", expectedResponses: 1)
        XCTAssertEqual(responses.first?.status, 400)
    }

    func testRoutesDirectly() async {
        let routes = AdminRoutes(metrics: metrics) { true }
        let response = await routes.respond(method: .PUT, uri: "/readyz")
        XCTAssertEqual(response.status, .methodNotAllowed)
    }
}
