import Foundation
import XCTest

/// compose.yaml is valid for a real compose parser (`docker-compose config`, Debian's
/// docker-compose; no engine needed) and agrees with the executables: every flag a command
/// uses and every QE_* variable it sets appear in that executable's `--help`, the ports in the
/// environment are the published ones, peers point at the right services and ports, health
/// checks ask each service's own port with `qe health`, and the image carries every binary used.
final class ComposeFileTests: XCTestCase {
    private var services: [String: [String: Any]] = [:]

    override func setUpWithError() throws {
        guard let compose = ProcessRunner.onPath("docker-compose") else {
            XCTFail("docker-compose is not installed; scripts/bootstrap installs it")
            throw XCTSkip("no docker-compose")
        }
        let config = try ProcessRunner.run(compose, ["-f", "compose.yaml", "config"], timeout: 120)
        XCTAssertEqual(config.status, 0, "docker-compose config failed:\n\(config.stderr)")
        // docker-compose is Python with PyYAML, so the python3 it runs on can read its output.
        let python = ProcessRunner.onPath("python3") ?? "/usr/bin/python3"
        let json = try ProcessRunner.run(
            python, ["-c", "import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"], stdin: config.stdout)
        XCTAssertEqual(json.status, 0, json.stderr)
        let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        services = try XCTUnwrap(document?["services"] as? [String: [String: Any]], "no services in:\n\(config.stdout)")
    }

    func testTheSixServicesAndTheSeedAreThere() {
        XCTAssertEqual(Set(services.keys), ["customer", "metering", "asset", "outage", "finance", "gateway", "seed"])
    }

    func testCommandsFlagsAndEnvironmentExistInTheExecutables() throws {
        for (name, service) in services {
            let command = try XCTUnwrap(service["command"] as? [String], "\(name) has no command")
            let executable = ProcessRunner.executable(command[0])
            XCTAssertTrue(FileManager.default.isExecutableFile(atPath: executable), "\(name): no \(command[0]) in the build")
            let help = try ProcessRunner.run(executable, ["--help"])
            XCTAssertEqual(help.status, 0, "\(command[0]) --help failed: \(help.stderr)")
            let helpText = help.stdout + help.stderr
            for flag in command.dropFirst() where flag.hasPrefix("--") {
                XCTAssertTrue(helpText.contains(flag + " "), "\(name): \(command[0]) has no \(flag)")
            }
            if let check = (service["healthcheck"] as? [String: Any])?["test"] as? [String], check.count > 3 {
                let healthHelp = try ProcessRunner.run(ProcessRunner.executable(check[1]), [check[2], "--help"])
                for flag in check.dropFirst(3) where flag.hasPrefix("--") {
                    XCTAssertTrue(healthHelp.stdout.contains(flag + " "), "\(name): `\(check[1]) \(check[2])` has no \(flag)")
                }
            }
            let environment = service["environment"] as? [String: String] ?? [:]
            for key in environment.keys {
                XCTAssertTrue(helpText.contains(key), "\(name): \(command[0]) --help does not mention \(key)")
            }
        }
    }

    func testPortsHealthChecksVolumesAndPeersAgree() throws {
        var grpcPorts: [String: String] = [:]
        for (name, service) in services where name != "seed" {
            let environment = try XCTUnwrap(service["environment"] as? [String: String], name)
            let grpc = try XCTUnwrap(environment["QE_PORT"], "\(name): no QE_PORT")
            let admin = try XCTUnwrap(environment["QE_ADMIN_PORT"], "\(name): no QE_ADMIN_PORT")
            grpcPorts[name] = grpc
            let ports = (service["ports"] as? [[String: Any]] ?? []).map { ("\($0["published"] ?? "")", "\($0["target"] ?? "")") }
            XCTAssertEqual(Set(ports.map { "\($0.0)->\($0.1)" }), ["\(grpc)->\(grpc)", "\(admin)->\(admin)"], "\(name): ports")

            let check = try XCTUnwrap((service["healthcheck"] as? [String: Any])?["test"] as? [String], "\(name): no healthcheck")
            XCTAssertEqual(check, ["CMD", "qe", "health", "--addr", "127.0.0.1:\(grpc)"], "\(name): healthcheck")

            let dataDirectory = try XCTUnwrap(environment["QE_DATA_DIR"], "\(name): no QE_DATA_DIR")
            let volumes = service["volumes"] as? [String] ?? []
            XCTAssertTrue(volumes.contains { $0.hasPrefix("\(name)-data:\(dataDirectory)") }, "\(name): no named volume at \(dataDirectory): \(volumes)")
        }
        XCTAssertEqual(Set(grpcPorts.values).count, 6, "every service has its own port")

        for (name, service) in services where name != "seed" {
            let peers = (service["environment"] as? [String: String])?["QE_PEERS"] ?? ""
            for entry in peers.split(separator: ",") {
                let parts = entry.split(separator: "=")
                let address = parts.last?.split(separator: ":") ?? []
                XCTAssertEqual(parts.count, 2, "\(name): QE_PEERS entry \(entry)")
                XCTAssertEqual(address.count, 2, "\(name): QE_PEERS entry \(entry)")
                let peer = String(parts[0])
                XCTAssertEqual(String(address[0]), peer, "\(name): peer \(peer) must be reached at its service name")
                XCTAssertEqual(String(address[1]), grpcPorts[peer], "\(name): peer \(peer) port")
            }
        }
        let meteringPeers = (services["metering"]?["environment"] as? [String: String])?["QE_PEERS"]
        XCTAssertEqual(meteringPeers, "customer=customer:50061")
        let gatewayPeers = ((services["gateway"]?["environment"] as? [String: String])?["QE_PEERS"] ?? "").split(separator: ",")
        XCTAssertEqual(Set(gatewayPeers.map { String($0.split(separator: "=")[0]) }), ["customer", "metering", "asset", "outage", "finance"])

        let dependsOn = try XCTUnwrap(services["gateway"]?["depends_on"] as? [String: [String: String]])
        XCTAssertEqual(Set(dependsOn.keys), ["customer", "metering", "asset", "outage", "finance"])
        XCTAssertTrue(dependsOn.values.allSatisfy { $0["condition"] == "service_healthy" }, "\(dependsOn)")
    }

    func testTheImageCarriesEveryExecutableComposeRuns() throws {
        let dockerfile = try String(contentsOf: ProcessRunner.repositoryRoot.appendingPathComponent("Dockerfile"), encoding: .utf8)
        let copied = dockerfile.split(separator: "\n").first { $0.contains("for exe in") } ?? ""
        var needed = Set(services.values.compactMap { ($0["command"] as? [String])?.first })
        needed.insert("qe")
        for executable in needed {
            XCTAssertTrue(copied.split(whereSeparator: { $0 == " " || $0 == ";" }).contains(Substring(executable)), "the Dockerfile does not copy \(executable)")
        }
        XCTAssertTrue(dockerfile.contains("FROM debian:12-slim"))
        for library in ["libnghttp2-14", "libprotobuf-c1", "libsqlite3-0", "zlib1g"] {
            XCTAssertTrue(dockerfile.contains(library), "runtime stage lacks \(library)")
        }
    }
}
