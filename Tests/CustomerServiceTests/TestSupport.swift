import CustomerAPI
import CustomerDomain
import Foundation
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit
import XCTest

/// A fresh directory under the system temp dir, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "customer-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A migrated store in a temp dir and the operations over it.
struct DomainHarness {
    let directory: TemporaryDirectory
    let store: SQLiteStore
    let operations: CustomerOperations

    static let secret = Array("customer-tests-page-token-secret".utf8)

    static func make(clock: DomainClock = .system) async throws -> DomainHarness {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteStore.open(path: directory.path + "/customer.sqlite3", schema: CustomerSchema.schema)
        return DomainHarness(
            directory: directory, store: store,
            operations: CustomerOperations(store: store, pages: PageTokenCodec(secret: secret), clock: clock))
    }

    func close() async {
        await store.close()
        directory.remove()
    }

    func count(_ table: String) async throws -> Int64 {
        // Test-only: the table name is a literal from the test itself.
        try await store.read { db in try db.scalar("SELECT COUNT(*) FROM \(table)", as: Int64.self) ?? 0 }
    }
}

/// Valid resources to start from; tests change one thing at a time.
enum Fixtures {
    static func customer(_ name: String = "Ana Silva", kind: CustomerKind = .residential, email: String = "ana@example.com") -> Customer {
        .with {
            $0.displayName = name
            $0.kind = kind
            $0.contact = .with {
                $0.emails = [.with { $0.address = email; $0.primary = true }]
                $0.phones = [.with { $0.e164Number = "+14155550100"; $0.kind = .mobile }]
            }
        }
    }

    static func premise(postalCode: String = "94105", area: String = "CA", commodities: [Commodity] = [.electric]) -> Premise {
        .with {
            $0.displayName = "12 Oak St"
            $0.address = .with {
                $0.regionCode = "US"
                $0.postalCode = postalCode
                $0.administrativeArea = area
                $0.locality = "San Francisco"
                $0.addressLines = ["12 Oak St"]
            }
            $0.serviceTypes = commodities
        }
    }

    static func product(_ scope: RegulatoryScope, name: String = "Product") -> Product {
        .with {
            $0.displayName = name
            $0.regulatoryScope = scope
            $0.category = scope == .regulated ? .utilityService : .evCharger
        }
    }

    static let anyDate = CalendarDate.with { $0.year = 2025; $0.month = 1; $0.day = 1 }

    static func missingID(_ prefix: String) -> String { prefix + "-" + String(repeating: "0", count: 26) }
}

/// Asserts that `body` throws an error whose gRPC status has `code` (and whose message
/// contains `fragment`, when given). Returns the message.
@discardableResult
func assertStatus<T>(
    _ code: StatusCode, _ fragment: String? = nil, file: StaticString = #filePath, line: UInt = #line,
    _ body: () async throws -> T
) async -> String {
    do {
        _ = try await body()
        XCTFail("expected \(code.name), but the call succeeded", file: file, line: line)
        return ""
    } catch {
        let status = RPCError(from: error)
        XCTAssertEqual(status.code, code, "unexpected status: \(status)", file: file, line: line)
        if let fragment {
            XCTAssertTrue(status.message.contains(fragment), "'\(status.message)' does not mention '\(fragment)'", file: file, line: line)
        }
        return status.message
    }
}

/// The same for synchronous rule functions.
func assertRule(
    _ code: StatusCode, _ fragment: String? = nil, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void
) {
    do {
        try body()
        XCTFail("expected \(code.name), but the rule passed", file: file, line: line)
    } catch let error as DomainError {
        XCTAssertEqual(error.code, code, "unexpected: \(error)", file: file, line: line)
        if let fragment {
            XCTAssertTrue(error.message.contains(fragment), "'\(error.message)' does not mention '\(fragment)'", file: file, line: line)
        }
    } catch {
        XCTFail("expected a DomainError, got \(error)", file: file, line: line)
    }
}

/// `XCTAssertEqual` for an awaited value (XCTest's autoclosures cannot `await`).
func assertEqualAsync<T: Equatable>(
    _ value: @autoclosure () async throws -> T, _ expected: T, file: StaticString = #filePath, line: UInt = #line
) async throws {
    let actual = try await value()
    XCTAssertEqual(actual, expected, file: file, line: line)
}
