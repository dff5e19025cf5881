import FinanceAPI
import Foundation
import MeshAuth
import RPCCore
import Transport
import XCTest

/// finance-service's own token (`QE_AUTH_SERVICE_TOKEN_FILE`), which it sends when it asks
/// customer-service whose an account is, is read again from its file: a rotated token is used
/// without restarting the process. Real processes; the file is replaced the way a rotation
/// does it (a new file renamed over the old).
final class ServiceTokenRotationTests: XCTestCase {
    /// ServiceTokenFile's default refresh interval (5 s), plus slack for a loaded machine.
    private let refreshWait: Duration = .milliseconds(6500)

    func testFinanceSendsTheRotatedTokenWithoutARestart() async throws {
        let auth = try MeshAuthentication.generate()
        defer { auth.remove() }
        let mesh = TestMesh(authentication: auth)
        try mesh.start()
        defer { mesh.stopAll() }
        let seed = try await MeshSeed.make(
            mesh: mesh, bearerToken: try auth.token(.corporate, scopes: MeshAuthentication.allScopes, subject: "rotation-test-seed"))
        let channel = try GRPCChannel(target: "127.0.0.1:\(mesh.port(of: .finance))")
        defer { channel.close() }
        let finance = FinanceServiceClient(channel: channel)
        // A non-regulated caller asking for a regulated account's activity: finance must ask
        // customer-service whose the account is, with its own token, before it can answer.
        let callerToken = try auth.token(.nonRegulated, scopes: ["finance.read"], subject: "rotation-test")
        let request = BatchGetAccountActivityRequest.with { $0.accountIDs = [seed.anaRegulated] }
        /// The account's entry: its status code and message (the batch call itself succeeds).
        func outcome() async throws -> String {
            let response = try await finance.batchGetAccountActivity(request, options: MeshAuthentication.bearer(callerToken))
            let entry = try XCTUnwrap(response.activities.first)
            return "\(entry.statusCode): \(entry.statusMessage)"
        }
        let withGoodToken = try await outcome()
        XCTAssertTrue(withGoodToken.hasPrefix("\(StatusCode.permissionDenied.rawValue): separation rule affiliate.regulated-data"), withGoodToken)

        // A token customer-service cannot verify (signed by another key) replaces the good one.
        let strangers = try DevelopmentKeyPair.loadOrGenerate(in: auth.directory + "/strangers")
        let foreign = try TokenMinter(privateKey: strangers.loadPrivateKey()).mint(TokenClaims(
            subject: "finance-service", businessUnit: .corporate, scopes: ["customer.read"], audience: AuthOptions.defaultAudience,
            issuedAt: Date(), expiresAt: Date().addingTimeInterval(600)))
        try replaceServiceToken(auth, with: foreign)
        try await Task.sleep(for: refreshWait)
        let withForeignToken = try await outcome()
        XCTAssertTrue(withForeignToken.hasPrefix("\(StatusCode.unavailable.rawValue): "), withForeignToken)
        XCTAssertTrue(withForeignToken.contains("customer-service answered UNAUTHENTICATED"), withForeignToken)

        // A good token again (a new one, as a rotation brings): the answer is what it was.
        try replaceServiceToken(auth, with: try auth.token(.corporate, scopes: ["customer.read"], subject: "finance-service-rotated"))
        try await Task.sleep(for: refreshWait)
        let afterRotation = try await outcome()
        XCTAssertEqual(afterRotation, withGoodToken)
    }

    private func replaceServiceToken(_ auth: MeshAuthentication, with token: String) throws {
        let staging = auth.serviceTokenPath + ".new"
        try Data((token + "\n").utf8).write(to: URL(fileURLWithPath: staging))
        XCTAssertEqual(rename(staging, auth.serviceTokenPath), 0, "rename: errno \(errno)")
    }
}
