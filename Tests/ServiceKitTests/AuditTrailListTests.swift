import Foundation
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit
import XCTest

/// `AuditTrail.list`, the ListAuditRecords every service serves, against a real SQLite store
/// holding the `audit_records` table the services' schemas create.
final class AuditTrailListTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private var store: SQLiteStore!
    private var trail: AuditTrail!
    private let pages = PageTokenCodec(secret: Array("audit-list-tests-secret-0123456789".utf8))
    /// 2026-01-01T00:00:00Z, the first record's time; record i is i minutes later.
    private let start: Int64 = 1_767_225_600

    override func setUp() async throws {
        directory = try TemporaryDirectory()
        store = try await SQLiteStore.open(
            path: directory.file("audit.sqlite3"),
            schema: StoreSchema([
                Migration(
                    version: 1, name: "audit_records",
                    sql: """
                        CREATE TABLE audit_records (
                            id TEXT PRIMARY KEY, body BLOB NOT NULL, record_ms INTEGER NOT NULL,
                            subject TEXT NOT NULL, decision INTEGER NOT NULL, caller_business_unit INTEGER NOT NULL,
                            customer_id TEXT NOT NULL, resource_id TEXT NOT NULL, method TEXT NOT NULL);
                        CREATE INDEX audit_records_by_time ON audit_records (record_ms, id);
                        """)
            ]))
        trail = AuditTrail(store: store)
        // Ten records a minute apart: even ones denied to "billing", odd ones filtered for "crm".
        try await trail.append((0..<10).map { index in
            AuditRecord.with {
                $0.recordTime = Timestamp(seconds: start + Int64(index) * 60, nanos: 0)
                $0.subject = index.isMultiple(of: 2) ? "billing" : "crm"
                $0.decision = index.isMultiple(of: 2) ? .denied : .filtered
                $0.callerBusinessUnit = index.isMultiple(of: 2) ? .nonRegulated : .regulated
                $0.customerID = "CUS-\(index)"
                $0.resourceID = "ACC-\(index)"
                $0.method = "/quantum.customer.v1.CustomerService/GetCustomerAccount"
            }
        })
    }

    override func tearDown() async throws {
        await store?.close()
        directory.remove()
    }

    private func resources(_ request: ListAuditRecordsRequest) async throws -> [String] {
        try await trail.list(request, pages: pages).auditRecords.map(\.resourceID)
    }

    func testOrderAndFilters() async throws {
        let all = try await resources(.with { $0.pageSize = 100 })
        XCTAssertEqual(all, (0..<10).map { "ACC-\($0)" })
        let newestFirst = try await resources(.with { $0.pageSize = 100; $0.orderBy = "record_time desc" })
        XCTAssertEqual(newestFirst, all.reversed())
        let denied = try await resources(.with { $0.filter = "decision = DENIED" })
        XCTAssertEqual(denied, ["ACC-0", "ACC-2", "ACC-4", "ACC-6", "ACC-8"])
        let prefixed = try await resources(.with { $0.filter = "decision = AUDIT_DECISION_FILTERED AND subject = \"crm\"" })
        XCTAssertEqual(prefixed, ["ACC-1", "ACC-3", "ACC-5", "ACC-7", "ACC-9"])
        let unit = try await resources(.with { $0.filter = "caller_business_unit = NON_REGULATED AND customer_id = CUS-4" })
        XCTAssertEqual(unit, ["ACC-4"])
    }

    func testTimeRangeIsHalfOpen() async throws {
        let range = TimeRange.with {
            $0.startTime = Timestamp(seconds: start + 2 * 60, nanos: 0)
            $0.endTime = Timestamp(seconds: start + 5 * 60, nanos: 0)
        }
        let inRange = try await resources(.with { $0.timeRange = range })
        XCTAssertEqual(inRange, ["ACC-2", "ACC-3", "ACC-4"])
    }

    func testPagesResumeAndStayBoundToTheirQuery() async throws {
        var seen: [String] = []
        var token = ""
        var pageCount = 0
        repeat {
            let page = try await trail.list(.with { $0.pageSize = 3; $0.orderBy = "record_time desc"; $0.pageToken = token }, pages: pages)
            XCTAssertLessThanOrEqual(page.auditRecords.count, 3)
            seen += page.auditRecords.map(\.resourceID)
            token = page.nextPageToken
            pageCount += 1
        } while !token.isEmpty
        XCTAssertEqual(pageCount, 4)
        XCTAssertEqual(seen, (0..<10).reversed().map { "ACC-\($0)" })

        let first = try await trail.list(.with { $0.pageSize = 3 }, pages: pages)
        XCTAssertFalse(first.nextPageToken.isEmpty)
        await assertInvalidArgument(
            try await trail.list(.with { $0.pageSize = 3; $0.filter = "subject = crm"; $0.pageToken = first.nextPageToken }, pages: pages),
            mentioning: "page_token belongs to a different query")
    }

    func testBadRequestsAreInvalidArgument() async throws {
        await assertInvalidArgument(try await trail.list(.with { $0.orderBy = "subject" }, pages: pages), mentioning: "order_by")
        await assertInvalidArgument(try await trail.list(.with { $0.filter = "rule = x" }, pages: pages), mentioning: "filter field 'rule'")
        await assertInvalidArgument(try await trail.list(.with { $0.filter = "decision = MAYBE" }, pages: pages), mentioning: "MAYBE")
        await assertInvalidArgument(
            try await trail.list(.with {
                $0.timeRange = .with {
                    $0.startTime = Timestamp(seconds: start + 60, nanos: 0)
                    $0.endTime = Timestamp(seconds: start, nanos: 0)
                }
            }, pages: pages), mentioning: "time_range.end_time is before")
        await assertInvalidArgument(
            try await trail.list(.with { $0.timeRange = .with { $0.startTime = Timestamp(seconds: 0, nanos: -1) } }, pages: pages),
            mentioning: "time_range.start_time")
        await assertInvalidArgument(try await trail.list(.with { $0.pageToken = "not-a-token" }, pages: pages), mentioning: "page_token")
    }

    private func assertInvalidArgument<T>(
        _ body: @autoclosure () async throws -> T, mentioning text: String, file: StaticString = #filePath, line: UInt = #line
    ) async {
        do {
            _ = try await body()
            XCTFail("expected INVALID_ARGUMENT", file: file, line: line)
        } catch let error as RPCError {
            XCTAssertEqual(error.code, .invalidArgument, "\(error)", file: file, line: line)
            XCTAssertTrue(error.message.contains(text), "'\(error.message)' does not mention '\(text)'", file: file, line: line)
        } catch {
            XCTFail("expected an RPCError, got \(error)", file: file, line: line)
        }
    }
}
