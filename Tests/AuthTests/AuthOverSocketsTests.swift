import CustomerAPI
import Foundation
import GRPCHealthV1
import MeshAuth
import RPCCore
import ServiceKit
import ServiceTestSupport
import Transport
import XCTest

/// The auth interceptor in a real server on a loopback port, called through `GRPCChannel`:
/// every bad-token kind is UNAUTHENTICATED, a missing scope PERMISSION_DENIED, a good token OK.
final class AuthOverSocketsTests: XCTestCase {
    private var service: AuthenticatedCustomerServer!
    private let metrics = ServiceMetrics()

    override func setUp() async throws {
        service = try await AuthenticatedCustomerServer.start(metrics: metrics)
    }

    override func tearDown() async throws {
        await service.stop()
    }

    private func getCustomer(_ options: CallOptions) async throws -> GetCustomerResponse {
        try await service.client.getCustomer(.with { $0.customerID = "CUS-" + String(repeating: "0", count: 26) }, options: options)
    }

    func testEveryBadTokenKindIsUnauthenticated() async throws {
        let tokens = service.tokens
        let good = try tokens.token()
        let parts = good.split(separator: ".").map(String.init)
        let payload = TokenFactory.validPayload()
        var missingSubject = payload
        missingSubject["sub"] = nil
        var unknownUnit = payload
        unknownUnit["business_unit"] = "marketing"
        let unsigned = try tokens.signed(payload: payload, header: ["alg": "none"]).split(separator: ".").prefix(2).joined(separator: ".") + "."

        let cases: [(String, CallOptions, String)] = [
            ("no authorization metadata", .timeout(.seconds(5)), "missing credentials"),
            ("not Bearer", authorization("Basic dXNlcjpwYXNz"), "not a bearer token"),
            ("garbage", bearer("garbage"), "malformed token"),
            ("bad base64", bearer("%%%." + parts[1] + "." + parts[2]), "not unpadded base64url"),
            ("alg none", bearer(unsigned), "unsupported token algorithm 'none'"),
            ("alg HS256", bearer(try tokens.signed(payload: payload, header: ["alg": "HS256"])), "unsupported token algorithm 'HS256'"),
            ("another key", bearer(try TokenFactory().token()), "invalid token signature"),
            ("expired", bearer(try tokens.token(issuedAt: Date().addingTimeInterval(-3600), lifetime: 600)), "token expired at"),
            ("not yet valid", bearer(try tokens.token(notBefore: Date().addingTimeInterval(3600), lifetime: 7200)), "token not valid before"),
            ("wrong audience", bearer(try tokens.token(audience: "someone-else")), "audience 'someone-else'"),
            ("missing claim", bearer(try tokens.signed(payload: missingSubject)), "claim 'sub' is missing"),
            ("unknown business unit", bearer(try tokens.signed(payload: unknownUnit)), "'marketing'"),
        ]
        // The first element names the case for a reader; the fragment identifies it in a failure.
        for (_, options, fragment) in cases {
            await XCTAssertStatus(.unauthenticated, fragment) { _ = try await self.getCustomer(options) }
        }
        let exposition = metrics.prometheusText()
        for reason in ["missing_credentials", "not_bearer", "malformed", "bad_encoding", "unsupported_algorithm", "bad_signature", "expired",
                       "not_yet_valid", "wrong_audience", "missing_claim", "unknown_business_unit"] {
            XCTAssertTrue(exposition.contains(#"outcome="unauthenticated",reason="\#(reason)""#), "no counter for \(reason) in:\n\(exposition)")
        }
    }

    func testAValidTokenWithoutTheMethodsScopeIsPermissionDenied() async throws {
        let readOnly = try service.tokens.token(scopes: ["customer.read", "finance.post"])
        await XCTAssertStatus(.permissionDenied, "needs scope 'customer.write'", "'customer.read'") {
            _ = try await self.service.client.createCustomer(.with { $0.customer = .with { $0.displayName = "X" } }, options: bearer(readOnly))
        }
        await XCTAssertStatus(.permissionDenied, "needs scope 'customer.read'") {
            _ = try await self.getCustomer(bearer(try self.service.tokens.token(scopes: ["metering.read"])))
        }
        XCTAssertTrue(metrics.prometheusText().contains(#"outcome="permission_denied",reason="customer.write""#))
    }

    func testAValidTokenWithTheScopeReachesTheHandler() async throws {
        let token = try service.tokens.token(.corporate, scopes: ["customer.read", "customer.write"])
        let created = try await service.client.createCustomer(.with {
            $0.customer = .with { $0.displayName = "Ana"; $0.kind = .residential }
        }, options: bearer(token)).customer!
        let got = try await service.client.getCustomer(.with { $0.customerID = created.customerID }, options: bearer(token)).customer
        XCTAssertEqual(got?.displayName, "Ana")
        // A handler's NOT_FOUND comes through unchanged: the token was accepted.
        await XCTAssertStatus(.notFound) { _ = try await self.getCustomer(bearer(token)) }
        XCTAssertTrue(metrics.prometheusText().contains(#"outcome="ok""#))
    }

    func testHealthAndReflectionAnswerWithoutATokenByDefault() async throws {
        let health = HealthClient(channel: service.channel)
        let response = try await health.check(.with { $0.service = "" }, options: .timeout(.seconds(5)))
        XCTAssertEqual(response.status, .serving)
    }

    func testHealthNeedsATokenWhenNotExempt() async throws {
        let strict = try await AuthenticatedCustomerServer.start(exemptStandardServices: false)
        let health = HealthClient(channel: strict.channel)
        await XCTAssertStatus(.unauthenticated, "missing credentials") {
            _ = try await health.check(.with { $0.service = "" }, options: .timeout(.seconds(5)))
        }
        let token = try strict.tokens.token(scopes: ["grpc.health.read"])
        let response = try await health.check(.with { $0.service = "" }, options: bearer(token))
        XCTAssertEqual(response.status, .serving)
        await strict.stop()
    }
}
