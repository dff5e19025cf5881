import Crypto
import Foundation
import MeshAuth
import RPCCore
import XCTest

final class KeyFilesAndScopesTests: XCTestCase {
    func testDevelopmentKeyPairRoundTripsThroughPEMFiles() throws {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        let pair = try DevelopmentKeyPair.loadOrGenerate(in: directory.path + "/keys")
        let privateKey = try pair.loadPrivateKey()
        XCTAssertEqual(try pair.loadPublicKey().rawRepresentation, privateKey.publicKey.rawRepresentation)
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: pair.privateKeyPath)[.posixPermissions] as? Int)
        XCTAssertEqual(mode, 0o600)
        XCTAssertTrue(try String(contentsOfFile: pair.publicKeyPath, encoding: .utf8).hasPrefix("-----BEGIN PUBLIC KEY-----\n"))

        // A second call keeps the existing key, so tokens already minted stay valid.
        let again = try DevelopmentKeyPair.loadOrGenerate(in: directory.path + "/keys")
        XCTAssertEqual(try again.loadPrivateKey().rawRepresentation, privateKey.rawRepresentation)

        // Tokens minted with the private file verify with the public file.
        let token = try TokenMinter(privateKey: privateKey).mint(TokenClaims(
            subject: "cli", businessUnit: .corporate, scopes: ["customer.read"], audience: "quantum-mesh",
            issuedAt: Date(), expiresAt: Date().addingTimeInterval(60)))
        XCTAssertEqual(try TokenVerifier(publicKey: try pair.loadPublicKey(), audience: "quantum-mesh").verify(token).subject, "cli")
    }

    func testOpenSSLsEd25519PEMIsReadAsIs() throws {
        // `openssl genpkey -algorithm ed25519` and `openssl pkey -pubout` output (RFC 8410 §10.3 test key).
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        let privatePath = directory.path + "/key.pem", publicPath = directory.path + "/key.pub.pem"
        try "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n"
            .write(toFile: privatePath, atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(privatePath, 0o600), 0)
        let key = try Ed25519KeyFiles.loadPrivateKey(path: privatePath)
        try Ed25519KeyFiles.write(key.publicKey, to: publicPath)
        XCTAssertEqual(
            try String(contentsOfFile: publicPath, encoding: .utf8),
            "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n")
    }

    func testUnusableKeyFilesAreRefusedWithTheReason() throws {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        let key = Curve25519.Signing.PrivateKey()
        let path = directory.path + "/key.pem"
        try Ed25519KeyFiles.write(key, to: path)
        XCTAssertEqual(chmod(path, 0o644), 0)
        XCTAssertThrowsError(try Ed25519KeyFiles.loadPrivateKey(path: path)) { XCTAssertTrue("\($0)".contains("too open"), "\($0)") }

        let publicPath = directory.path + "/pub.pem"
        try Ed25519KeyFiles.pem(key).write(toFile: publicPath, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Ed25519KeyFiles.loadPublicKey(path: publicPath)) { XCTAssertTrue("\($0)".contains("PUBLIC KEY"), "\($0)") }
        try "not a key\n".write(toFile: publicPath, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Ed25519KeyFiles.loadPublicKey(path: publicPath))
        XCTAssertThrowsError(try Ed25519KeyFiles.loadPublicKey(path: directory.path + "/absent.pem")) {
            XCTAssertTrue("\($0)".contains("cannot be read"), "\($0)")
        }
        // The raw base64 form is accepted too.
        try key.publicKey.rawRepresentation.base64EncodedString().write(toFile: publicPath, atomically: true, encoding: .utf8)
        XCTAssertEqual(try Ed25519KeyFiles.loadPublicKey(path: publicPath).rawRepresentation, key.publicKey.rawRepresentation)
    }

    func testMethodScopesFollowPackageAndVerb() {
        let scopes = MethodScopes()
        func scope(_ service: String, _ method: String) -> String {
            scopes.scope(for: MethodDescriptor(service: service, method: method, kind: .unary))
        }
        XCTAssertEqual(scope("quantum.customer.v1.CustomerService", "GetCustomer"), "customer.read")
        XCTAssertEqual(scope("quantum.customer.v1.CustomerService", "BatchGetCustomers"), "customer.read")
        XCTAssertEqual(scope("quantum.customer.v1.CustomerService", "CountCustomersServed"), "customer.read")
        XCTAssertEqual(scope("quantum.customer.v1.CustomerService", "CreateCustomer"), "customer.write")
        XCTAssertEqual(scope("quantum.customer.v1.CustomerService", "GrantConsent"), "customer.write")
        XCTAssertEqual(scope("quantum.metering.v1.MeteringService", "StreamReadings"), "metering.read")
        XCTAssertEqual(scope("quantum.metering.v1.MeteringService", "IngestReadings"), "metering.write")
        XCTAssertEqual(scope("quantum.outage.v1.OutageService", "WatchOutages"), "outage.read")
        XCTAssertEqual(scope("quantum.finance.v1.FinanceService", "CalculateBill"), "finance.read")
        XCTAssertEqual(scope("quantum.finance.v1.FinanceService", "IssueBill"), "finance.write")
        XCTAssertEqual(scope("quantum.finance.v1.FinanceService", "PostTransaction"), "finance.post")
        XCTAssertEqual(scope("grpc.health.v1.Health", "Check"), "grpc.health.read")
        XCTAssertEqual(scope("grpc.testing.TestService", "Getaway"), "grpc.testing.write", "a verb is a whole word")
        let custom = MethodScopes(overrides: ["/quantum.customer.v1.CustomerService/GetCustomer": "customer.pii"])
        XCTAssertEqual(custom.scope(for: MethodDescriptor(service: "quantum.customer.v1.CustomerService", method: "GetCustomer", kind: .unary)), "customer.pii")
    }
}
