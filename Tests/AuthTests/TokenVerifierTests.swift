import Crypto
import Foundation
import MeshAuth
import Synchronization
import XCTest

/// Every way a token can be wrong yields its own rejection; a good one yields its caller.
final class TokenVerifierTests: XCTestCase {
    private let tokens = TokenFactory()

    private func assertRejected(_ token: String, _ expected: TokenRejection, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try tokens.verifier().verify(token), file: file, line: line) { error in
            XCTAssertEqual(error as? TokenRejection, expected, file: file, line: line)
        }
    }

    private func reason(_ token: String) -> String? {
        do {
            _ = try tokens.verifier().verify(token)
            return nil
        } catch {
            return error.reason
        }
    }

    func testAValidTokenGivesItsCaller() throws {
        let token = try tokens.token(.nonRegulated, scopes: ["customer.read", "finance.post"], subject: "ev-portal")
        let caller = try tokens.verifier().verify(token)
        XCTAssertEqual(caller, Caller(subject: "ev-portal", businessUnit: .nonRegulated, scopes: ["customer.read", "finance.post"]))
        XCTAssertEqual(try tokens.verifier().verify(authorization: "Bearer \(token)"), caller)
        XCTAssertEqual(try tokens.verifier().verify(authorization: "bearer  \(token)"), caller, "the scheme is case-insensitive")
    }

    func testAudienceMayBeAnArray() throws {
        var payload = TokenFactory.validPayload()
        payload["aud"] = ["other", TokenFactory.audience]
        XCTAssertEqual(try tokens.verifier().verify(try tokens.signed(payload: payload)).subject, "test-system")
    }

    func testEveryBadTokenKindHasItsOwnReason() throws {
        let verifier = tokens.verifier()
        XCTAssertThrowsError(try verifier.verify(authorization: nil)) { XCTAssertEqual($0 as? TokenRejection, .missingCredentials) }
        XCTAssertThrowsError(try verifier.verify(authorization: "Basic dXNlcjpwdw==")) { XCTAssertEqual($0 as? TokenRejection, .notBearer) }
        XCTAssertThrowsError(try verifier.verify(authorization: "Bearer")) { XCTAssertEqual($0 as? TokenRejection, .notBearer) }

        let good = try tokens.token()
        let parts = good.split(separator: ".").map(String.init)
        XCTAssertEqual(reason("garbage"), "malformed")
        XCTAssertEqual(reason(parts[0] + "." + parts[1]), "malformed")
        XCTAssertEqual(reason(String(repeating: "a", count: TokenVerifier.maximumTokenLength + 1)), "malformed")
        XCTAssertEqual(reason("!!!." + parts[1] + "." + parts[2]), "bad_encoding")
        XCTAssertEqual(reason(parts[0] + "=." + parts[1] + "." + parts[2]), "bad_encoding", "padding is not base64url")
        XCTAssertEqual(reason(parts[0] + "." + parts[1] + "." + parts[2] + "*"), "bad_encoding")
        XCTAssertEqual(reason("bm90IGpzb24." + parts[1] + "." + parts[2]), "bad_json")

        // alg none (unsigned) and HS256 (the classic key-confusion attack) are refused before anything else.
        let payload = TokenFactory.validPayload()
        let unsigned = try tokens.signed(payload: payload, header: ["alg": "none"]).split(separator: ".").prefix(2).joined(separator: ".") + "."
        assertRejected(unsigned, .unsupportedAlgorithm("none"))
        assertRejected(try tokens.signed(payload: payload, header: ["alg": "HS256", "typ": "JWT"]), .unsupportedAlgorithm("HS256"))
        assertRejected(try tokens.signed(payload: payload, header: ["alg": "eddsa"]), .unsupportedAlgorithm("eddsa"))
        XCTAssertEqual(reason(try tokens.signed(payload: payload, header: ["typ": "JWT"])), "unsupported_algorithm")
        assertRejected(try tokens.signed(payload: payload, header: ["alg": "EdDSA", "crit": ["exp"]]), .unsupportedHeader("crit"))

        // Forged: another key's signature, a changed payload, a truncated signature.
        assertRejected(try TokenFactory().token(), .badSignature)
        let elevated = try TokenFactory().signed(payload: payload.merging(["business_unit": "corporate"]) { $1 })
        let forged = elevated.split(separator: ".").prefix(2).joined(separator: ".") + "." + parts[2]
        assertRejected(forged, .badSignature)
        assertRejected(parts[0] + "." + parts[1] + "." + parts[2].dropLast(4), .badSignature)
    }

    func testTimeAudienceAndClaimChecks() throws {
        let now = Date()
        let expiredAt = Date(timeIntervalSince1970: (now.timeIntervalSince1970 - 120).rounded(.down))
        assertRejected(try tokens.token(issuedAt: expiredAt.addingTimeInterval(-300), lifetime: 300), .expired(expiredAt))
        XCTAssertNoThrow(try tokens.verifier().verify(try tokens.token(issuedAt: now.addingTimeInterval(-310), lifetime: 300)), "within the 30 s leeway")
        let later = Date(timeIntervalSince1970: (now.timeIntervalSince1970 + 600).rounded(.down))
        assertRejected(try tokens.token(notBefore: later, lifetime: 900), .notYetValid(later))
        assertRejected(try tokens.token(audience: "other-mesh"), .wrongAudience("'other-mesh'"))

        for claim in ["sub", "business_unit", "scope", "aud", "exp"] {
            var payload = TokenFactory.validPayload()
            payload[claim] = nil
            assertRejected(try tokens.signed(payload: payload), .missingClaim(claim))
        }
        var payload = TokenFactory.validPayload()
        payload["business_unit"] = "marketing"
        assertRejected(try tokens.signed(payload: payload), .unknownBusinessUnit("marketing"))
        for (claim, value) in [("sub", 7), ("scope", true), ("exp", "tomorrow"), ("nbf", "now"), ("iat", [1]), ("aud", 3), ("jti", 5)] as [(String, Any)] {
            var payload = TokenFactory.validPayload()
            payload[claim] = value
            XCTAssertEqual(reason(try tokens.signed(payload: payload)), "invalid_claim", "claim \(claim) = \(value)")
        }
        payload = TokenFactory.validPayload()
        payload["sub"] = ""
        XCTAssertEqual(reason(try tokens.signed(payload: payload)), "invalid_claim")
    }

    func testVerifiedTokensAreCachedUntilTheyExpire() throws {
        let clock = Mutex(Date())
        let verifier = tokens.verifier(now: { clock.withLock { $0 } })
        let token = try tokens.token(lifetime: 60)
        XCTAssertEqual(verifier.cachedTokenCount, 0)
        _ = try verifier.verify(token)
        _ = try verifier.verify(token)
        XCTAssertEqual(verifier.cachedTokenCount, 1)
        XCTAssertThrowsError(try verifier.verify(try TokenFactory().token()))
        XCTAssertEqual(verifier.cachedTokenCount, 1, "failures are not cached")

        clock.withLock { $0 = $0.addingTimeInterval(120) }
        XCTAssertThrowsError(try verifier.verify(token)) { error in
            XCTAssertEqual((error as? TokenRejection)?.reason, "expired", "a cached token still expires")
        }
        XCTAssertEqual(verifier.cachedTokenCount, 0)
    }

    func testTheCacheIsBounded() throws {
        let verifier = TokenVerifier(publicKey: tokens.key.publicKey, audience: TokenFactory.audience, cacheCapacity: 3)
        for index in 0..<10 { _ = try verifier.verify(try tokens.token(subject: "system-\(index)")) }
        XCTAssertLessThanOrEqual(verifier.cachedTokenCount, 3)
    }
}
