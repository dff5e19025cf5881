import Foundation
import GatewayAPI
@testable import GatewayHTTP
import ProtoRuntime
import RPCCore
import ServiceTestSupport
import Transport
import XCTest

/// The gateway's HTTP/1.1 JSON front (admin port, /v1/…) against the six real processes: the
/// same answers as gRPC in the proto3 JSON mapping, query parameters and JSON bodies reaching
/// the request, and failures as JSON errors with their HTTP status.
final class JSONFrontTests: XCTestCase {
    private static let fixture = SeededMesh()
    private var mesh: TestMesh!
    private var seed: MeshSeed!
    private var channel: GRPCChannel!
    private var gateway: GatewayServiceClient!

    override func setUp() async throws {
        (mesh, seed) = try await Self.fixture.started()
        channel = try GRPCChannel(target: "127.0.0.1:\(mesh.gatewayPort)")
        gateway = GatewayServiceClient(channel: channel)
    }

    override func tearDown() {
        channel?.close()
    }

    override class func tearDown() {
        fixture.stop()
        super.tearDown()
    }

    private func http(_ method: String, _ path: String, body: String = "", headers: [String: String] = [:]) throws -> RawHTTPResponse {
        try HTTPTestClient.request(port: mesh.gatewayAdminPort, method: method, path: path, headers: headers, body: body)
    }

    private func assertError(_ response: RawHTTPResponse, http status: Int, _ code: StatusCode, _ fragment: String,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(response.status, status, response.body, file: file, line: line)
        XCTAssertEqual(response.headers["content-type"], "application/json", file: file, line: line)
        let error = try XCTUnwrap(try JSONValue(parsing: response.body)["error"], file: file, line: line)
        XCTAssertEqual(error["code"], .number(String(status)), file: file, line: line)
        XCTAssertEqual(error["status"], .string(code.name), file: file, line: line)
        guard case .string(let message)? = error["message"] else { return XCTFail("no message: \(response.body)", file: file, line: line) }
        XCTAssertTrue(message.contains(fragment), "'\(message)' does not name '\(fragment)'", file: file, line: line)
    }

    func testTheCustomerOverviewIsTheGRPCAnswerInProto3JSON() async throws {
        let response = try http("GET", "/v1/customers/\(seed.ana)/overview")
        XCTAssertEqual(response.status, 200, response.body)
        XCTAssertEqual(response.headers["content-type"], "application/json")
        XCTAssertTrue(response.body.contains("\"displayName\": \"Ana Silva\""), "lowerCamel names")
        XCTAssertTrue(response.body.contains("\"milliValue\": \"72000\""), "int64 as a string")
        var viaJSON = try XCTUnwrap(try GetCustomerOverviewResponse(jsonString: response.body).overview)
        let answer = try await gateway.getCustomerOverview(.with { $0.customerID = seed.ana })
        var viaGRPC = try XCTUnwrap(answer.overview)
        // What differs between two reads a moment apart: when they were made.
        for index in viaJSON.accounts.indices { viaJSON.accounts[index].balance?.asOfTime = nil }
        for index in viaGRPC.accounts.indices { viaGRPC.accounts[index].balance?.asOfTime = nil }
        viaJSON.generateTime = nil
        viaGRPC.generateTime = nil
        XCTAssertEqual(viaJSON.accounts, viaGRPC.accounts)
        XCTAssertEqual(viaJSON.customer, viaGRPC.customer)
        XCTAssertEqual(viaJSON.recentInteractions, viaGRPC.recentInteractions)
        XCTAssertEqual(viaJSON.premises.map { $0.meterPoints.map { $0.consumption?.totalDelivered } },
                       viaGRPC.premises.map { $0.meterPoints.map { $0.consumption?.totalDelivered } })
        XCTAssertEqual(viaJSON.premises.first?.openOutages.map(\.outageID), [seed.outage])
    }

    func testQueryParametersAndPathIdsMakeTheRequest() throws {
        let response = try http("GET", "/v1/customers/\(seed.ana)/overview?recentTransactionLimit=1&consumption_window=86400s&bucketSize=BUCKET_SIZE_HOUR&customerId=CUS-ignored")
        XCTAssertEqual(response.status, 200, response.body)
        let overview = try XCTUnwrap(try GetCustomerOverviewResponse(jsonString: response.body).overview)
        XCTAssertEqual(overview.customer?.customerID, seed.ana, "the path's id wins over the query's")
        XCTAssertEqual(overview.accounts.first { $0.account?.accountID == seed.anaRegulated }?.recentTransactions.map(\.transactionID), [seed.payment])
        let window = try XCTUnwrap(overview.consumptionWindow)
        XCTAssertEqual((window.endTime?.seconds ?? 0) - (window.startTime?.seconds ?? 0), 86_400)
        XCTAssertEqual(overview.premises.first?.meterPoints.first?.consumption?.bucketSize, .hour)

        let now = Int64(Date().timeIntervalSince1970)
        let start = RFC3339.format(Timestamp(seconds: now - 7 * 86_400)), end = RFC3339.format(Timestamp(seconds: now + 86_400))
        let report = try http("GET", "/v1/reliability?period.startTime=\(start)&period.endTime=\(end)")
        XCTAssertEqual(report.status, 200, report.body)
        XCTAssertEqual(try GetReliabilityReportResponse(jsonString: report.body).indices?.customersServed, 3)

        let impact = try http("GET", "/v1/outages/\(seed.outage)/impact?maxItems=10")
        XCTAssertEqual(impact.status, 200, impact.body)
        let premise = try http("GET", "/v1/premises/\(seed.premise1)/overview")
        XCTAssertEqual(try GetPremiseOverviewResponse(jsonString: premise.body).overview?.premise?.premiseID, seed.premise1)
    }

    func testBillAccountTakesAJSONBodyAndIsIdempotent() throws {
        let body = #"{"billingPeriod": {"startDate": {"year": 2025, "month": 1, "day": 1}, "endDate": {"year": 2025, "month": 1, "day": 31}}, "requestId": "json-front-bill-1"}"#
        let first = try http("POST", "/v1/accounts/\(seed.boRegulated):bill", body: body, headers: ["Content-Type": "application/json"])
        XCTAssertEqual(first.status, 200, first.body)
        let bill = try XCTUnwrap(try BillAccountResponse(jsonString: first.body).bill)
        XCTAssertEqual(bill.accountID, seed.boRegulated)
        let again = try http("POST", "/v1/accounts/\(seed.boRegulated):bill", body: body)
        XCTAssertEqual(try BillAccountResponse(jsonString: again.body).bill?.billID, bill.billID, "same request id, same bill")

        try assertError(try http("POST", "/v1/accounts/\(seed.boRegulated):bill", body: "{not json"), http: 400, .invalidArgument, "JSON")
        try assertError(try http("POST", "/v1/accounts/\(seed.boRegulated):bill", body: #"{"requestId": "x"}"#),
                        http: 400, .invalidArgument, "billing_period")
    }

    func testFailuresAreJSONErrorsWithTheirHTTPStatus() throws {
        try assertError(try http("GET", "/v1/customers/CUS-\(String(repeating: "0", count: 26))/overview"), http: 404, .notFound, "customer-service")
        try assertError(try http("GET", "/v1/customers/\(seed.ana)/overview?bucketSize=FORTNIGHT"), http: 400, .invalidArgument, "bucket_size")
        try assertError(try http("GET", "/v1/customers/\(seed.ana)/overview?noSuchField=1"), http: 400, .invalidArgument, "noSuchField")
        try assertError(try http("GET", "/v1/customers/not-an-id/overview"), http: 400, .invalidArgument, "customer_id")
        let wrongMethod = try http("POST", "/v1/customers/\(seed.ana)/overview")
        try assertError(wrongMethod, http: 405, .unimplemented, "use GET")
        XCTAssertEqual(wrongMethod.headers["allow"], "GET, HEAD")
        try assertError(try http("GET", "/v1/nothing/here"), http: 404, .notFound, "no route")
        XCTAssertEqual(try http("GET", "/healthz").status, 200, "the probes are still there")
    }

    // MARK: Pieces

    func testRoutes() throws {
        XCTAssertEqual(JSONRoutes.match(path: "/v1/customers/CUS-1/overview"),
                       .init(operation: .customerOverview, method: .GET, pathFields: ["customerId": "CUS-1"]))
        XCTAssertEqual(JSONRoutes.match(path: "/v1/assets/AST-1/impact"),
                       .init(operation: .outageImpact, method: .GET, pathFields: ["assetId": "AST-1"]))
        XCTAssertEqual(JSONRoutes.match(path: "/v1/accounts/ACC-1:bill"),
                       .init(operation: .billAccount, method: .POST, pathFields: ["accountId": "ACC-1"]))
        XCTAssertEqual(JSONRoutes.match(path: "/v1/reliability"), .init(operation: .reliabilityReport, method: .GET, pathFields: [:]))
        for path in ["/v1/customers//overview", "/v1/customers/CUS-1", "/v2/reliability", "/v1/accounts/:bill", "/v1/customers/CUS-1/overview/x"] {
            XCTAssertNil(JSONRoutes.match(path: path), path)
        }
        let match = try XCTUnwrap(JSONRoutes.match(path: "/v1/reliability"))
        let request = try JSONRoutes.request(
            GetReliabilityReportRequest.self, match: match,
            query: [("period.startTime", "2026-01-01T00:00:00Z"), ("period.end_time", "2026-02-01T00:00:00Z"), ("commodity", "COMMODITY_ELECTRIC")],
            body: [])
        XCTAssertEqual(request.period?.startTime?.seconds, 1_767_225_600)
        XCTAssertEqual(request.period?.endTime?.seconds, 1_769_904_000)
        XCTAssertEqual(request.commodity, .electric)
    }

    func testStatusMapping() {
        XCTAssertEqual(JSONFront.error(.notFound, "x").status.code, 404)
        XCTAssertEqual(JSONFront.error(.unauthenticated, "x").extraHeaders["WWW-Authenticate"], "Bearer")
        XCTAssertEqual(JSONFront.error(.deadlineExceeded, "x").status.code, 504)
        XCTAssertEqual(JSONFront.error(.unavailable, "x").status.code, 503)
        XCTAssertEqual(JSONFront.error(.failedPrecondition, "x").status.code, 400)
        XCTAssertEqual(JSONFront.error(.resourceExhausted, "x").status.code, 429)
    }
}
