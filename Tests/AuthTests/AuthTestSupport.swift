import Crypto
import CustomerAPI
import CustomerDomain
import CustomerService
import Foundation
import MeshAuth
import RPCCore
import ServiceKit
import StandardServices
import Transport
import XCTest

/// A fresh directory under the system temp dir, removed by `remove()`.
struct ScratchDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "auth-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// The mesh's signing key and tokens made with it.
struct TokenFactory {
    static let audience = "quantum-mesh"
    let key = Curve25519.Signing.PrivateKey()
    var minter: TokenMinter { TokenMinter(privateKey: key) }

    func token(
        _ unit: BusinessUnitClaim = .regulated, scopes: [String] = ["customer.read", "customer.write"],
        subject: String = "test-system", audience: String = TokenFactory.audience,
        issuedAt: Date = Date(), notBefore: Date? = nil, lifetime: TimeInterval = 300
    ) throws -> String {
        try minter.mint(TokenClaims(
            subject: subject, businessUnit: unit, scopes: scopes, audience: audience,
            issuedAt: issuedAt, notBefore: notBefore, expiresAt: issuedAt.addingTimeInterval(lifetime)))
    }

    /// A validly signed token with this payload as given (to test claim checks).
    func signed(payload: [String: Any], header: [String: Any] = ["alg": "EdDSA", "typ": "JWT"]) throws -> String {
        try minter.sign(header: header, payload: payload)
    }

    /// A payload with every claim valid; tests remove or change one.
    static func validPayload(now: Date = Date()) -> [String: Any] {
        [
            "sub": "test-system", "business_unit": "regulated", "scope": "customer.read", "aud": audience,
            "iat": Int(now.timeIntervalSince1970), "nbf": Int(now.timeIntervalSince1970), "exp": Int(now.timeIntervalSince1970) + 300,
        ]
    }

    func verifier(now: @escaping @Sendable () -> Date = Date.init) -> TokenVerifier {
        TokenVerifier(publicKey: key.publicKey, audience: Self.audience, now: now)
    }
}

/// customer-service on a loopback port (a real `GRPCServer` with health and reflection, a real
/// SQLite store) behind an `AuthInterceptor`, and a `GRPCChannel` to it.
final class AuthenticatedCustomerServer {
    let directory: ScratchDirectory
    let store: SQLiteStore
    let server: GRPCServer
    let channel: GRPCChannel
    let tokens: TokenFactory

    var client: CustomerServiceClient { CustomerServiceClient(channel: channel) }

    private init(directory: ScratchDirectory, store: SQLiteStore, server: GRPCServer, channel: GRPCChannel, tokens: TokenFactory) {
        self.directory = directory
        self.store = store
        self.server = server
        self.channel = channel
        self.tokens = tokens
    }

    static func start(
        tokens: TokenFactory = TokenFactory(), exemptStandardServices: Bool = true, metrics: ServiceMetrics? = nil,
        makeService: (CustomerOperations, SQLiteStore) -> any RPCService = { operations, _ in CustomerServiceImpl(operations: operations) }
    ) async throws -> AuthenticatedCustomerServer {
        let directory = try ScratchDirectory()
        let store = try await SQLiteStore.open(path: directory.path + "/customer.sqlite3", schema: CustomerSchema.schema)
        let operations = CustomerOperations(store: store, pages: PageTokenCodec(secret: Array("auth-tests-page-token-secret".utf8)))
        let service = makeService(operations, store)
        let standard = StandardServiceSet(serving: [service], descriptors: CustomerAPIDescriptors.filesWithDependencies)
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.interceptors = [AuthInterceptor(
            verifier: tokens.verifier(), exemptStandardServices: exemptStandardServices,
            metrics: metrics.map { AuthMetrics(factory: $0.factory) })]
        let server = GRPCServer(configuration: configuration, services: [service] + standard.services)
        try await server.start()
        let channel = try GRPCChannel(target: "127.0.0.1:\(try XCTUnwrap(server.port))")
        return AuthenticatedCustomerServer(directory: directory, store: store, server: server, channel: channel, tokens: tokens)
    }

    /// A premise and a customer ("Rita") with a regulated account there, created with `admin`.
    func seedRegulatedCustomer(admin: CallOptions) async throws -> (premiseID: String, customerID: String, accountID: String) {
        let premise = try await client.createPremise(.with {
            $0.premise = .with {
                $0.address = .with { $0.regionCode = "US"; $0.postalCode = "94105"; $0.locality = "SF"; $0.addressLines = ["1 Main St"] }
                $0.serviceTypes = [.electric]
            }
        }, options: admin).premise!.premiseID
        let customer = try await client.createCustomer(.with { $0.customer = .with { $0.displayName = "Rita"; $0.kind = .residential } }, options: admin)
            .customer!.customerID
        let account = try await client.createCustomerAccount(.with {
            $0.account = .with { $0.customerID = customer; $0.premiseID = premise; $0.regulatoryScope = .regulated; $0.currencyCode = "USD" }
        }, options: admin).account!.accountID
        return (premise, customer, account)
    }

    func stop() async {
        channel.close()
        await server.shutdown(gracePeriod: .seconds(1))
        await store.close()
        directory.remove()
    }
}

/// Call options carrying `authorization: <value>` (and a request id).
func bearer(_ token: String, requestID: String? = nil) -> CallOptions {
    var metadata: Metadata = ["authorization": "Bearer \(token)"]
    if let requestID { metadata.add("x-request-id", requestID) }
    return .timeout(.seconds(5), metadata: metadata)
}

func authorization(_ value: String) -> CallOptions {
    .timeout(.seconds(5), metadata: ["authorization": value])
}
