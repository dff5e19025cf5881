import Foundation
import MeshAuth
import RPCCore
import XCTest

/// The service's own token is read again from its file, so a rotated token needs no restart.
final class ServiceTokenFileTests: XCTestCase {
    private var directory: URL!
    private var path: String { directory.appendingPathComponent("service.token").path }
    private let start = ContinuousClock.now

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("service-token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func write(_ text: String) throws {
        // As a rotation does it: a new file renamed over the old one.
        let staging = directory.appendingPathComponent("staging")
        try Data(text.utf8).write(to: staging)
        XCTAssertEqual(rename(staging.path, path), 0, "rename: errno \(errno)")
    }

    func testARotatedTokenIsReadAfterTheRefreshInterval() throws {
        try write("first-token\n")
        let file = try ServiceTokenFile(path: path, refreshInterval: .seconds(5), now: start)
        XCTAssertEqual(file.token(now: start), "first-token")
        try write("second-token\n")
        XCTAssertEqual(file.token(now: start + .seconds(4)), "first-token", "read again before the interval")
        XCTAssertEqual(file.token(now: start + .seconds(5)), "second-token")
        XCTAssertEqual(file.token(now: start + .seconds(6)), "second-token")
    }

    func testAFileCaughtMidRotationKeepsTheLastGoodToken() throws {
        try write("good-token")
        let file = try ServiceTokenFile(path: path, refreshInterval: .seconds(1), now: start)
        try write("")
        XCTAssertEqual(file.token(now: start + .seconds(1)), "good-token", "empty file")
        try write("two tokens")
        XCTAssertEqual(file.token(now: start + .seconds(2)), "good-token", "two tokens")
        try FileManager.default.removeItem(atPath: path)
        XCTAssertEqual(file.token(now: start + .seconds(3)), "good-token", "missing file")
        try write("  next-token \n")
        XCTAssertEqual(file.token(now: start + .seconds(4)), "next-token")
    }

    func testAnUnreadableFileFailsAtStartNamingItsSource() throws {
        XCTAssertThrowsError(try ServiceTokenFile(path: path)) { error in
            XCTAssertTrue("\(error)".contains("expected a readable file holding one token"), "\(error)")
        }
        XCTAssertThrowsError(try AuthOptions.parse([]).resolve(environment: ["QE_AUTH_SERVICE_TOKEN_FILE": path])) { error in
            XCTAssertTrue("\(error)".hasPrefix("QE_AUTH_SERVICE_TOKEN_FILE '\(path)'"), "\(error)")
        }
    }

    func testPeerCallsCarryTheTokenInTheFileNow() async throws {
        try write("before-rotation")
        let configuration = try AuthOptions.parse([]).resolve(environment: ["QE_AUTH_SERVICE_TOKEN_FILE": path])
        XCTAssertEqual(configuration.serviceToken?.path, path)
        let interceptors = configuration.peerInterceptors
        XCTAssertEqual(interceptors.count, 1)
        let method = MethodDescriptor(service: "quantum.customer.v1.CustomerService", method: "GetCustomerAccount", kind: .unary)
        func sent() async throws -> [String] {
            try await interceptors[0].intercept(method: method, options: CallOptions()) { $0.metadata[stringValues: "authorization"] }
        }
        let before = try await sent()
        XCTAssertEqual(before, ["Bearer before-rotation"])
        // The interval (5 s by default) is real time here: read the file again through a
        // token file that refreshes at once, as the configuration's does once its interval passed.
        let rotating = try ServiceTokenFile(path: path, refreshInterval: .zero)
        let credentials = BearerCredentials(tokenFile: rotating)
        try write("after-rotation")
        let after = try await credentials.intercept(method: method, options: CallOptions()) { $0.metadata[stringValues: "authorization"] }
        XCTAssertEqual(after, ["Bearer after-rotation"])
    }
}
