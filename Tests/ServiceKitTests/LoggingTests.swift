import Foundation
import Logging
import RPCCore
import ServiceKit
import Synchronization
import XCTest

/// Collects the lines a handler writes.
final class CapturedLines: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var output: LogOutput { LogOutput { [self] line in self.append(line) } }
}

final class LoggingTests: XCTestCase {
    private func logger(_ format: ServiceLogHandler.Format, _ captured: CapturedLines, level: Logger.Level = .info) -> Logger {
        Logger(label: "customer") { label in ServiceLogHandler(label: label, format: format, level: level, output: captured.output) }
    }

    private func json(_ line: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], line)
    }

    func testJSONLinesAreOneValidObjectEach() throws {
        let captured = CapturedLines()
        var log = logger(.json, captured)
        log[metadataKey: "service"] = "customer"
        log.info("hello \"quoted\"\nnext line\u{1}", metadata: ["count": "\(3)", "tags": ["a", "b"], "message": "collides"])
        log.debug("below the level")
        XCTAssertEqual(captured.all.count, 1)
        let line = try XCTUnwrap(captured.all.first)
        XCTAssertFalse(line.contains("\n"))
        let object = try json(line)
        XCTAssertEqual(object["message"] as? String, "hello \"quoted\"\nnext line\u{1}")
        XCTAssertEqual(object["level"] as? String, "info")
        XCTAssertEqual(object["logger"] as? String, "customer")
        XCTAssertEqual(object["service"] as? String, "customer")
        XCTAssertEqual(object["count"] as? String, "3")
        XCTAssertEqual(object["tags"] as? [String], ["a", "b"])
        XCTAssertEqual(object["_message"] as? String, "collides", "metadata never overwrites a fixed key")
        let time = try XCTUnwrap(object["time"] as? String)
        XCTAssertNotNil(time.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression), time)
    }

    func testTextLinesAreReadable() throws {
        let captured = CapturedLines()
        logger(.text, captured).warning("disk almost full", metadata: ["path": "/var/lib", "note": "two words"])
        let line = try XCTUnwrap(captured.all.first)
        XCTAssertTrue(line.hasSuffix(" warning customer: disk almost full note=\"two words\" path=/var/lib"), line)
    }

    func testOneLinePerRPCWithStatusDurationPeerAndIDs() async throws {
        let captured = CapturedLines()
        let interceptor = RPCLoggingInterceptor(logger: logger(.json, captured))
        let method = MethodDescriptor(service: "quantum.customer.v1.CustomerService", method: "GetCustomer", kind: .unary)
        let context = ServerContext.forTesting(
            method: method,
            metadata: ["x-request-id": "req-42", "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"])
        try await interceptor.intercept(context: context) { try await Task.sleep(for: .milliseconds(5)) }
        do {
            try await interceptor.intercept(context: context) {
                throw RPCError(code: .notFound, message: "customer CUS-1 not found")
            }
            XCTFail("the interceptor must rethrow")
        } catch let error as RPCError {
            XCTAssertEqual(error.code, .notFound)
        }
        do {
            try await interceptor.intercept(context: context) { throw CocoaError(.fileNoSuchFile) }
        } catch {}

        let lines = try captured.all.map(json)
        XCTAssertEqual(lines.count, 3)
        XCTAssertEqual(lines[0]["rpc.method"] as? String, "/quantum.customer.v1.CustomerService/GetCustomer")
        XCTAssertEqual(lines[0]["rpc.code"] as? String, "OK")
        XCTAssertEqual(lines[0]["peer"] as? String, "in-process")
        XCTAssertEqual(lines[0]["request_id"] as? String, "req-42")
        XCTAssertEqual(lines[0]["trace_id"] as? String, "0af7651916cd43dd8448eb211c80319c")
        XCTAssertEqual(lines[0]["level"] as? String, "info")
        let duration = try XCTUnwrap(Double(try XCTUnwrap(lines[0]["rpc.duration_ms"] as? String)))
        XCTAssertGreaterThanOrEqual(duration, 5)
        XCTAssertEqual(lines[1]["rpc.code"] as? String, "NOT_FOUND")
        XCTAssertEqual(lines[1]["rpc.message"] as? String, "customer CUS-1 not found")
        XCTAssertEqual(lines[1]["level"] as? String, "info", "a caller's mistake is not a server error")
        XCTAssertEqual(lines[2]["rpc.code"] as? String, "UNKNOWN")
        XCTAssertEqual(lines[2]["level"] as? String, "error")
    }
}
