import Foundation
import RPCCore
import ServiceKit
import Synchronization
import XCTest

final class PageTokenTests: XCTestCase {
    private let secret = Array("0123456789abcdef-test-secret".utf8)
    private let query = PageQuery(method: "ListCustomers", fields: ["filter": "status=ACTIVE", "order_by": "name"])

    func testATokenRoundTripsItsCursor() throws {
        let codec = PageTokenCodec(secret: secret)
        let token = codec.makeToken(cursor: ["Ada Lovelace", "CUS-01J", ""], for: query)
        XCTAssertFalse(token.contains("Ada"), "the cursor is not readable in the token")
        XCTAssertTrue(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }, "URL-safe")
        XCTAssertEqual(try codec.cursor(from: token, for: query), ["Ada Lovelace", "CUS-01J", ""])
        XCTAssertNil(try codec.cursor(from: "", for: query), "an empty token is the first page")
    }

    func testTheSameQueryWrittenDifferentlyIsTheSameQuery() throws {
        let codec = PageTokenCodec(secret: secret)
        let token = codec.makeToken(cursor: ["x"], for: PageQuery(method: "ListCustomers", fields: ["a": "1", "b": ""]))
        XCTAssertEqual(try codec.cursor(from: token, for: PageQuery(method: "ListCustomers", fields: ["a": "1"])), ["x"])
    }

    func testAnAlteredTokenIsRefused() throws {
        let codec = PageTokenCodec(secret: secret)
        let token = codec.makeToken(cursor: ["CUS-0001"], for: query)
        for position in [0, token.count / 2, token.count - 1] {
            var characters = Array(token)
            characters[position] = characters[position] == "A" ? "B" : "A"
            assertInvalid(try codec.cursor(from: String(characters), for: query), mentions: ["page_token"])
        }
    }

    func testATokenFromAnotherSecretIsRefused() {
        let token = PageTokenCodec(secret: Array("another-secret-of-16+".utf8)).makeToken(cursor: ["x"], for: query)
        assertInvalid(try PageTokenCodec(secret: secret).cursor(from: token, for: query), mentions: ["not issued by this service"])
    }

    func testATokenCannotBeReusedWithAnotherFilterOrMethod() {
        let codec = PageTokenCodec(secret: secret)
        let token = codec.makeToken(cursor: ["x"], for: query)
        let otherFilter = PageQuery(method: "ListCustomers", fields: ["filter": "status=CLOSED", "order_by": "name"])
        assertInvalid(try codec.cursor(from: token, for: otherFilter), mentions: ["different query"])
        let otherMethod = PageQuery(method: "ListAccounts", fields: query.fields)
        assertInvalid(try codec.cursor(from: token, for: otherMethod), mentions: ["different query"])
    }

    func testAnExpiredTokenIsRefusedWithAClearMessage() throws {
        let now = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        let codec = PageTokenCodec(secret: secret, lifetime: .seconds(3600), now: { now.withLock { $0 } })
        let token = codec.makeToken(cursor: ["x"], for: query)
        now.withLock { $0 = $0.addingTimeInterval(3599) }
        XCTAssertEqual(try codec.cursor(from: token, for: query), ["x"])
        now.withLock { $0 = $0.addingTimeInterval(2) }
        assertInvalid(try codec.cursor(from: token, for: query), mentions: ["expired"])
    }

    func testGarbageIsRefusedAsMalformed() {
        let codec = PageTokenCodec(secret: secret)
        for garbage in ["not a token!", "AAAA", String(repeating: "A", count: 5000), "%%%"] {
            assertInvalid(try codec.cursor(from: garbage, for: query), mentions: ["page_token"])
        }
    }

    func testPageSizes() throws {
        let policy = PageSizePolicy(defaultSize: 25, maximumSize: 100)
        XCTAssertEqual(try policy.resolve(0), 25)
        XCTAssertEqual(try policy.resolve(7), 7)
        XCTAssertEqual(try policy.resolve(10_000), 100)
        assertInvalid(try policy.resolve(-1), mentions: ["page_size", "-1"])
    }

    private func assertInvalid<T>(
        _ body: @autoclosure () throws -> T, mentions words: [String], file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            _ = try body()
            XCTFail("expected INVALID_ARGUMENT", file: file, line: line)
        } catch let error as RPCError {
            XCTAssertEqual(error.code, .invalidArgument, file: file, line: line)
            for word in words {
                XCTAssertTrue(error.message.contains(word), "'\(error.message)' should mention \(word)", file: file, line: line)
            }
        } catch {
            XCTFail("expected RPCError, got \(error)", file: file, line: line)
        }
    }
}
