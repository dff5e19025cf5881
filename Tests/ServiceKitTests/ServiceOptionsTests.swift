import ArgumentParser
import Logging
import ServiceKit
import XCTest

final class ServiceOptionsTests: XCTestCase {
    private let defaults = ServiceDefaults(serviceName: "customer", port: 50051, adminPort: 9051)

    private func resolve(_ arguments: [String], environment: [String: String] = [:]) throws -> ServiceConfiguration {
        try ServiceOptions.parse(arguments).resolve(defaults: defaults, environment: environment, standardOutputIsTerminal: false)
    }

    /// The message the command line would print for `arguments`.
    private func failure(_ arguments: [String], environment: [String: String] = [:]) -> String {
        do {
            let options = try ServiceOptions.parse(arguments)
            _ = try options.resolve(defaults: defaults, environment: environment, standardOutputIsTerminal: false)
            return "no error"
        } catch {
            return ServiceOptions.message(for: error)
        }
    }

    func testDefaultsWhenNothingIsGiven() throws {
        let configuration = try resolve([])
        XCTAssertEqual(configuration.host, "0.0.0.0")
        XCTAssertEqual(configuration.port, 50051)
        XCTAssertEqual(configuration.adminPort, 9051)
        XCTAssertTrue(configuration.dataDirectory.hasPrefix("/"), "made absolute")
        XCTAssertTrue(configuration.dataDirectory.hasSuffix("/data"))
        XCTAssertEqual(configuration.store, .sqlite(path: configuration.dataDirectory + "/customer.sqlite3"))
        XCTAssertEqual(configuration.logLevel, .info)
        XCTAssertEqual(configuration.logFormat, .json, "not a terminal")
        XCTAssertTrue(configuration.pageTokenSecretIsGenerated)
        XCTAssertEqual(configuration.pageTokenSecret.count, 32)
        XCTAssertEqual(configuration.shutdownGracePeriod, .seconds(10))
        XCTAssertEqual(configuration.peers, [:])
        XCTAssertNil(configuration.busyPollWindow, "busy polling is opt-in")
    }

    func testEnvironmentFillsInAndFlagsWin() throws {
        let environment = [
            "QE_PORT": "6000", "QE_ADMIN_PORT": "6001", "QE_DATA_DIR": "/var/lib/qe", "QE_LOG_LEVEL": "DEBUG",
            "QE_LOG_FORMAT": "text", "QE_PAGE_TOKEN_SECRET": "sixteen-bytes-or-more", "QE_SHUTDOWN_GRACE": "2.5",
            "QE_PEERS": "metering=10.0.0.2:50052, finance=[::1]:50055", "QE_HOST": "127.0.0.1", "QE_BUSY_POLL_US": "50",
        ]
        let fromEnvironment = try resolve([], environment: environment)
        XCTAssertEqual(fromEnvironment.port, 6000)
        XCTAssertEqual(fromEnvironment.adminPort, 6001)
        XCTAssertEqual(fromEnvironment.host, "127.0.0.1")
        XCTAssertEqual(fromEnvironment.store, .sqlite(path: "/var/lib/qe/customer.sqlite3"))
        XCTAssertEqual(fromEnvironment.logLevel, .debug)
        XCTAssertEqual(fromEnvironment.logFormat, .text)
        XCTAssertEqual(fromEnvironment.pageTokenSecret, Array("sixteen-bytes-or-more".utf8))
        XCTAssertFalse(fromEnvironment.pageTokenSecretIsGenerated)
        XCTAssertEqual(fromEnvironment.shutdownGracePeriod, .milliseconds(2500))
        XCTAssertEqual(fromEnvironment.busyPollWindow, .microseconds(50))
        XCTAssertNil(try resolve(["--busy-poll-us", "0"], environment: environment).busyPollWindow, "0 turns it off")
        for bad in ["-1", "1001", "fast"] {
            XCTAssertThrowsError(try resolve([], environment: ["QE_BUSY_POLL_US": bad])) { error in
                XCTAssertTrue("\(error)".contains("between 0 (off) and 1000"), "\(error)")
            }
        }
        XCTAssertEqual(fromEnvironment.peers["metering"], PeerAddress(host: "10.0.0.2", port: 50052))
        XCTAssertEqual(fromEnvironment.peers["finance"], PeerAddress(host: "::1", port: 50055))

        let withFlags = try resolve(
            ["--port", "7000", "--store", "sqlite:///tmp/x.db", "--peer", "metering=127.0.0.1:1234"], environment: environment)
        XCTAssertEqual(withFlags.port, 7000)
        XCTAssertEqual(withFlags.store, .sqlite(path: "/tmp/x.db"))
        XCTAssertEqual(withFlags.peers["metering"], PeerAddress(host: "127.0.0.1", port: 1234))
        XCTAssertEqual(withFlags.peers["finance"], PeerAddress(host: "::1", port: 50055))
    }

    func testRepeatedPeersAccumulateAsReplicas() throws {
        let environment = ["QE_PEERS": "customer=10.0.0.1:50061,customer=10.0.0.2:50061,asset=10.0.0.3:50063"]
        let fromEnvironment = try resolve([], environment: environment)
        XCTAssertEqual(
            fromEnvironment.peerGroups["customer"],
            [PeerAddress(host: "10.0.0.1", port: 50061), PeerAddress(host: "10.0.0.2", port: 50061)])
        XCTAssertEqual(fromEnvironment.peers["customer"], PeerAddress(host: "10.0.0.2", port: 50061), "peers keeps the last")

        let withFlags = try resolve(
            ["--peer", "customer=127.0.0.1:1", "--peer", "metering=127.0.0.1:3", "--peer", "customer=127.0.0.1:2"],
            environment: environment)
        XCTAssertEqual(
            withFlags.peerGroups["customer"], [PeerAddress(host: "127.0.0.1", port: 1), PeerAddress(host: "127.0.0.1", port: 2)],
            "flags replace the environment's addresses for the same name")
        XCTAssertEqual(withFlags.peers["customer"], PeerAddress(host: "127.0.0.1", port: 2))
        XCTAssertEqual(withFlags.peerGroups["metering"], [PeerAddress(host: "127.0.0.1", port: 3)])
        XCTAssertEqual(withFlags.peerGroups["asset"], [PeerAddress(host: "10.0.0.3", port: 50063)], "other names stay")
        XCTAssertEqual(withFlags.peers.count, withFlags.peerGroups.count)
    }

    func testBadValuesAreNamedWithTheirSource() {
        XCTAssertEqual(
            failure(["--port", "70000"]), "--port '70000' is not valid: expected a port number 0…65535 (0 = any free port)")
        XCTAssertEqual(
            failure([], environment: ["QE_ADMIN_PORT": "http"]),
            "QE_ADMIN_PORT 'http' is not valid: expected a port number 0…65535 (0 = any free port)")
        XCTAssertTrue(failure(["--log-level", "verbose"]).contains("--log-level 'verbose' is not valid: expected one of trace"))
        XCTAssertTrue(failure(["--log-format", "xml"]).contains("expected auto, json or text"))
        XCTAssertTrue(failure(["--store", "postgres://db/x"]).contains("scheme 'postgres' is not supported"))
        XCTAssertTrue(failure(["--store", "/just/a/path"]).contains("has no scheme"))
        XCTAssertTrue(failure(["--peer", "metering"]).contains("--peer 'metering' is not valid: expected name=host:port"))
        XCTAssertTrue(failure([], environment: ["QE_PEERS": "a=host:0"]).contains("QE_PEERS 'a=host:0'"))
        XCTAssertTrue(failure(["--shutdown-grace=-1"]).contains("between 0 and 3600"))
        XCTAssertTrue(failure(["--port", "9051"]).contains("must differ"))
        XCTAssertTrue(failure(["--port", "abc"]).contains("abc"), "argument parser's own type check names the value")
    }

    func testAShortSecretIsRefusedWithoutEchoingIt() {
        let message = failure([], environment: ["QE_PAGE_TOKEN_SECRET": "hunter2"])
        XCTAssertTrue(message.contains("QE_PAGE_TOKEN_SECRET"), message)
        XCTAssertTrue(message.contains("at least 16"), message)
        XCTAssertFalse(message.contains("hunter2"), "secrets stay out of logs and terminals")
    }

    func testValidateReportsAtParseTime() {
        XCTAssertThrowsError(try ServiceOptions.parse(["--log-level", "loud"])) { error in
            XCTAssertTrue(ServiceOptions.message(for: error).contains("--log-level 'loud'"))
        }
    }

    func testHelpNamesEveryEnvironmentVariable() {
        let help = ServiceOptions.helpMessage()
        for name in ["QE_HOST", "QE_PORT", "QE_ADMIN_HOST", "QE_ADMIN_PORT", "QE_DATA_DIR", "QE_STORE_URL", "QE_LOG_LEVEL",
                     "QE_LOG_FORMAT", "QE_PEERS", "QE_PAGE_TOKEN_SECRET", "QE_SHUTDOWN_GRACE", "QE_BUSY_POLL_US"] {
            XCTAssertTrue(help.contains(name), "--help should mention \(name)")
        }
        XCTAssertTrue(help.contains("--data-dir"))
    }

    func testPreparingTheDataDirectory() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let configuration = try resolve(["--data-dir", directory.file("a/b")])
        XCTAssertNoThrow(try configuration.prepareDataDirectory())
        var isDirectory: ObjCBool = false
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.file("a/b"), isDirectory: &isDirectory))
        _ = FileManager.default.createFile(atPath: directory.file("file"), contents: Data())
        let onAFile = try resolve(["--data-dir", directory.file("file")])
        XCTAssertThrowsError(try onAFile.prepareDataDirectory()) { error in
            XCTAssertTrue("\(error)".contains("not a directory"))
        }
    }
}
