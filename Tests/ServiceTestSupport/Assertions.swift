import RPCCore
import XCTest

/// Runs `body`, which must fail with `code` and a message that names every one of `fragments`
/// (the field, the id, the state), so a person could act on it.
public func XCTAssertStatus(
    _ code: StatusCode, _ fragments: String..., file: StaticString = #filePath, line: UInt = #line,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        XCTFail("expected \(code.name), but the call succeeded", file: file, line: line)
    } catch {
        let status = RPCError(from: error)
        XCTAssertEqual(status.code, code, "\(status)", file: file, line: line)
        for fragment in fragments {
            XCTAssertTrue(status.message.contains(fragment), "'\(status.message)' does not mention '\(fragment)'", file: file, line: line)
        }
    }
}

/// `body`'s result, or a DEADLINE_EXCEEDED error naming `what` after `seconds`: a feed that
/// stops delivering fails the test instead of hanging it.
public func withDeadline<T: Sendable>(
    seconds: Int, _ what: String, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw RPCError(code: .deadlineExceeded, message: "\(what) did not finish in \(seconds) s")
        }
        return value
    }
}

/// XCTAssertEqual for a value that needs `await` to compute.
public func XCTAssertEqualAsync<T: Equatable>(
    _ value: @autoclosure () async throws -> T, _ expected: T, file: StaticString = #filePath, line: UInt = #line
) async throws {
    let actual = try await value()
    XCTAssertEqual(actual, expected, file: file, line: line)
}

/// XCTAssertTrue for a condition that needs `await` to compute.
public func XCTAssertTrueAsync(_ value: @autoclosure () async throws -> Bool, file: StaticString = #filePath, line: UInt = #line) async throws {
    let result = try await value()
    XCTAssertTrue(result, file: file, line: line)
}
