import MeshAuth
import RPCCore
import XCTest

/// What the client-side interceptors put on outgoing calls.
final class ClientCredentialsTests: XCTestCase {
    private let method = MethodDescriptor(service: "quantum.customer.v1.CustomerService", method: "GetCustomer", kind: .unary)

    private func sent(through interceptor: some ClientInterceptor, _ options: CallOptions = CallOptions()) async throws -> [String] {
        try await interceptor.intercept(method: method, options: options) { $0.metadata[stringValues: "authorization"] }
    }

    func testTheServiceTokenGoesOnCallsWithoutCredentials() async throws {
        let own = try await sent(through: BearerCredentials(token: "service-token"))
        XCTAssertEqual(own, ["Bearer service-token"])
        let kept = try await sent(through: BearerCredentials(token: "service-token"), CallOptions(metadata: ["authorization": "Bearer caller"]))
        XCTAssertEqual(kept, ["Bearer caller"])
    }

    func testTheCallersCredentialsAreForwardedFromInsideAHandler() async throws {
        let outside = try await sent(through: ForwardCallerCredentials())
        XCTAssertEqual(outside, [])
        let context = ServerContext.forTesting(method: method, metadata: ["authorization": "Bearer caller-token"])
        let inside = try await ServerContext.$current.withValue(context) { try await sent(through: ForwardCallerCredentials()) }
        XCTAssertEqual(inside, ["Bearer caller-token"])
    }
}
