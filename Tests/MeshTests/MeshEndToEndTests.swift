import Foundation
import QECLI
import ServiceTestSupport
import XCTest

/// The mesh the way the README runs it (`scripts/mesh`, here `--debug` on the build the tests
/// use, so no release build): up with demo data, every gateway query through `qe`, then
/// SIGINT, and no process of it left behind.
final class MeshEndToEndTests: XCTestCase {
    /// The token `qe` calls send (minted from the mesh's development key once it is up).
    private var token: String?

    func testMeshUpQueriesThroughTheCLIAndCtrlCLeavesNothingBehind() throws {
        let dataDirectory = try temporaryDirectory("mesh-e2e")
        let layout = try freeLayout()
        let gateway = layout.grpcAddress(.gateway)
        let runner = MeshRun(arguments: [
            "--debug", "--data-dir", dataDirectory, "--grpc-port-base", String(layout.grpcPortBase),
            "--admin-port-base", String(layout.adminPortBase), "--seed-customers", "12", "--seed-days", "2",
            "--log-format", "json", "--log-level", "warning",
        ])
        try runner.start()
        defer { runner.kill() }
        try runner.waitFor("the mesh is up", timeout: 150)
        XCTAssertTrue(runner.output.contains("127.0.0.1:\(layout.grpcPort(.finance))"), runner.output)
        XCTAssertTrue(runner.output.contains("\(layout.adminURL(.gateway))/metrics"), runner.output)
        let state = try XCTUnwrap(MeshState.read(from: dataDirectory), "no mesh.json")
        XCTAssertEqual(state.services.count, 6)
        XCTAssertTrue(state.services.allSatisfy { MeshState.isAlive($0.pid) })

        // Authentication is on: no token → UNAUTHENTICATED; tokens come from the mesh's key.
        let signingKey = ["--signing-key", dataDirectory + "/auth/mesh-signing-key.pem"]
        let anonymous = try ProcessRunner.run(ProcessRunner.executable("qe"), ["reliability", "--from", "-30d", "--addr", gateway])
        XCTAssertEqual(anonymous.status, 1, anonymous.stdout)
        XCTAssertTrue(anonymous.stderr.contains("UNAUTHENTICATED (16)"), anonymous.stderr)
        token = try qe(["token", "mint", "--as", "corporate"] + signingKey).trimmingCharacters(in: .whitespacesAndNewlines)

        let ids = try sampleIDs(dataDirectory: dataDirectory, layout: layout)
        let customer = try XCTUnwrap(ids["customer_id"]), premise = try XCTUnwrap(ids["premise_id"])
        let account = try XCTUnwrap(ids["account_id"])

        let overview = try qe(["overview", "customer", customer, "--addr", gateway, "--deadline", "20s"])
        XCTAssertTrue(overview.contains("== accounts") && overview.contains(account), overview)
        XCTAssertFalse(overview.contains("withheld"), overview)
        // The same overview for the non-regulated business: the regulated account is left out.
        let corporateToken = token
        token = try qe(["token", "mint", "--as", "non_regulated", "--scopes",
                        "gateway.read customer.read metering.read outage.read finance.read asset.read"] + signingKey)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let separated = try qe(["overview", "customer", customer, "--addr", gateway, "--deadline", "20s", "--json"])
        token = corporateToken
        XCTAssertFalse(separated.contains(account), "a non_regulated caller saw the regulated account:\n\(separated)")
        XCTAssertTrue(separated.contains("withheld") || separated.contains("WITHHELD"), separated)
        let premiseOverview = try qe(["overview", "premise", premise, "--addr", gateway, "--deadline", "20s"])
        XCTAssertTrue(premiseOverview.contains("== upstream assets") && premiseOverview.contains(premise), premiseOverview)
        let impactArguments = ids["outage_id"].map { ["--outage", $0] } ?? ["--asset", ids["asset_id"] ?? ""]
        let impact = try qe(["impact"] + impactArguments + ["--addr", gateway, "--deadline", "20s"])
        XCTAssertTrue(impact.contains("== customers to notify") && impact.contains("premises"), impact)
        if ids["outage_id"] != nil {
            let impactJSON = try qe(["impact"] + impactArguments + ["--addr", gateway, "--deadline", "20s", "--json"])
            let parsed = try JSONSerialization.jsonObject(with: Data(impactJSON.utf8)) as? [String: Any]
            XCTAssertNotNil((parsed?["impact"] as? [String: Any])?["rootAssetId"], impactJSON)
        }
        let reliability = try qe(["reliability", "--from", "-365d", "--addr", gateway, "--deadline", "20s"])
        XCTAssertTrue(reliability.contains("SAIFI") && reliability.contains("customers served"), reliability)
        if let from = ids["period_from"]?.prefix(10) {
            let bill = try qe(["bill-account", account, "--from", String(from), "--to", String(from), "--addr", gateway, "--deadline", "20s"])
            XCTAssertTrue(bill.contains("== bill") && bill.contains(account) && bill.contains("USD"), bill)
        }
        let status = try ProcessRunner.run(ProcessRunner.executable("qe"), [
            "mesh", "status", "--data-dir", dataDirectory, "--grpc-port-base", String(layout.grpcPortBase),
            "--admin-port-base", String(layout.adminPortBase),
        ])
        XCTAssertEqual(status.status, 0, status.stdout + status.stderr)
        XCTAssertEqual(status.stdout.components(separatedBy: "SERVING").count - 1, 6, status.stdout)

        runner.signal(SIGINT)
        let exit = try runner.waitForExit(timeout: 60)
        XCTAssertEqual(exit, 0, runner.output)
        XCTAssertTrue(runner.output.contains("the mesh stopped"), runner.output)
        for entry in state.services { XCTAssertFalse(MeshState.isAlive(entry.pid), "\(entry.name) (pid \(entry.pid)) outlived the mesh") }
        XCTAssertEqual(processes(mentioning: dataDirectory), [], "processes left behind")
        XCTAssertNil(MeshState.read(from: dataDirectory), "mesh.json removed on a clean stop")
    }

    func testDetachedMeshReportsStatusAndStops() throws {
        let dataDirectory = try temporaryDirectory("mesh-detach")
        let layout = try freeLayout()
        let ports = ["--grpc-port-base", String(layout.grpcPortBase), "--admin-port-base", String(layout.adminPortBase)]
        let qe = ProcessRunner.executable("qe")
        let up = try ProcessRunner.run(qe, ["mesh", "up", "--detach", "--no-seed", "--data-dir", dataDirectory] + ports, timeout: 120)
        XCTAssertEqual(up.status, 0, up.stdout + up.stderr)
        XCTAssertTrue(up.stdout.contains("the mesh runs in the background"), up.stdout)
        addTeardownBlock { _ = try? ProcessRunner.run(qe, ["mesh", "stop", "--data-dir", dataDirectory]) }
        let state = try XCTUnwrap(MeshState.read(from: dataDirectory))

        let again = try ProcessRunner.run(qe, ["mesh", "up", "--no-seed", "--data-dir", dataDirectory] + ports)
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("a mesh is already running from"), again.stderr)

        let status = try ProcessRunner.run(qe, ["mesh", "status", "--data-dir", dataDirectory] + ports)
        XCTAssertEqual(status.status, 0, status.stdout)
        XCTAssertTrue(status.stdout.contains("runner pid \(state.runnerPID)"), status.stdout)
        let health = try ProcessRunner.run(qe, ["health", "--addr", layout.grpcAddress(.metering)])
        XCTAssertEqual(health.status, 0, health.stderr)
        XCTAssertEqual(health.stdout, "SERVING\n")

        let stop = try ProcessRunner.run(qe, ["mesh", "stop", "--data-dir", dataDirectory], timeout: 60)
        XCTAssertEqual(stop.status, 0, stop.stdout + stop.stderr)
        XCTAssertFalse(MeshState.isAlive(state.runnerPID))
        XCTAssertEqual(processes(mentioning: dataDirectory), [], "processes left behind")
        let down = try ProcessRunner.run(qe, ["health", "--addr", layout.grpcAddress(.metering), "--deadline", "1s"])
        XCTAssertEqual(down.status, 1)
        XCTAssertTrue(down.stderr.hasPrefix("error: UNAVAILABLE (14): "), down.stderr)
    }

    func testAPortInUseIsNamedAndNothingStarts() throws {
        let dataDirectory = try temporaryDirectory("mesh-port")
        let listener = try TCPListener()
        defer { listener.close() }
        // The listener's port becomes the outage service's gRPC port.
        let layout = MeshLayout(grpcPortBase: listener.port - MeshService.outage.portOffset, adminPortBase: listener.port + 1000)
        let result = try ProcessRunner.run(ProcessRunner.executable("qe"), [
            "mesh", "up", "--bin-dir", ProcessRunner.buildDirectory.path, "--data-dir", dataDirectory, "--no-seed",
            "--grpc-port-base", String(layout.grpcPortBase), "--admin-port-base", String(layout.adminPortBase),
        ])
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
        XCTAssertTrue(result.stderr.contains("outage-service: gRPC port 127.0.0.1:\(listener.port) is already in use"), result.stderr)
        XCTAssertEqual(processes(mentioning: dataDirectory), [])
    }

    func testAChildThatExitsDuringStartIsNamedAndTheOthersAreStopped() throws {
        let dataDirectory = try temporaryDirectory("mesh-crash")
        let bin = try temporaryDirectory("mesh-crash-bin")
        for service in MeshService.all where service != .finance {
            try FileManager.default.createSymbolicLink(atPath: bin + "/" + service.executable, withDestinationPath: ProcessRunner.executable(service.executable))
        }
        let failing = "#!/bin/sh\necho \"finance: cannot open the ledger\" >&2\nexit 3\n"
        XCTAssertTrue(FileManager.default.createFile(atPath: bin + "/finance-service", contents: Data(failing.utf8), attributes: [.posixPermissions: 0o755]))
        let layout = try freeLayout()
        let result = try ProcessRunner.run(ProcessRunner.executable("qe"), [
            "mesh", "up", "--bin-dir", bin, "--data-dir", dataDirectory, "--no-seed",
            "--grpc-port-base", String(layout.grpcPortBase), "--admin-port-base", String(layout.adminPortBase),
        ], timeout: 90)
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
        XCTAssertTrue(result.stderr.contains("finance-service (gRPC 127.0.0.1:\(layout.grpcPort(.finance))) exited during start with status 3"), result.stderr)
        XCTAssertTrue(result.stderr.contains("cannot open the ledger"), result.stderr)
        XCTAssertEqual(processes(mentioning: dataDirectory), [], "the other services were not stopped")
    }

    // MARK: Helpers

    /// Runs `qe`, expects exit 0, returns stdout.
    private func qe(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let withToken = arguments.first == "token" ? arguments : arguments + (token.map { ["--token", $0] } ?? [])
        let result = try ProcessRunner.run(ProcessRunner.executable("qe"), withToken, timeout: 60)
        XCTAssertEqual(result.status, 0, "qe \(arguments.joined(separator: " ")):\n\(result.stderr)", file: file, line: line)
        return result.stdout
    }

    /// The demo data's ids, or (without a demo-seed build) a customer, premise and account made with `qe`.
    private func sampleIDs(dataDirectory: String, layout: MeshLayout) throws -> [String: String] {
        if let ids = DemoSeedStep.recorded(dataDirectory: dataDirectory) { return ids }
        XCTAssertFalse(FileManager.default.fileExists(atPath: ProcessRunner.executable("demo-seed")), "demo-seed exists but did not seed")
        func created(_ arguments: [String], service: MeshService, key: String) throws -> String {
            let json = try qe(arguments + ["--addr", layout.grpcAddress(service), "--json"])
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: [String: Any]]
            return try XCTUnwrap(object?.values.first?[key] as? String, json)
        }
        let customer = try created(["customer", "create", "--name", "Ada Lovelace", "--kind", "residential"], service: .customer, key: "customerId")
        let premise = try created(["premise", "create", "--name", "1 Main St", "--line", "1 Main St", "--locality", "Sacramento"], service: .customer, key: "premiseId")
        let account = try created(["account", "create", "--customer", customer, "--premise", premise, "--scope", "regulated"], service: .customer, key: "accountId")
        let asset = try created(["asset", "create", "--name", "Feeder 1", "--type", "feeder", "--class", "distribution"], service: .asset, key: "assetId")
        return ["customer_id": customer, "premise_id": premise, "account_id": account, "asset_id": asset]
    }

    /// Port bases whose twelve ports are all free right now (other tests use ports too).
    private func freeLayout() throws -> MeshLayout {
        for _ in 0..<50 {
            let grpc = Int.random(in: 20_000...29_000), admin = grpc + 500
            let layout = MeshLayout(grpcPortBase: grpc, adminPortBase: admin)
            if PortProbe.conflicts(in: layout).isEmpty { return layout }
        }
        throw XCTSkip("no free port range found")
    }

    private func temporaryDirectory(_ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// Pids whose command line mentions `text` (each mesh child has its --data-dir in argv).
    private func processes(mentioning text: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard pid != getpid(), let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(text) && MeshState.isAlive(pid)
        }
    }
}

/// `scripts/mesh` as a child of the test, its output collected.
final class MeshRun {
    private let child: ServiceTestSupport.ChildProcess

    init(arguments: [String]) {
        child = ServiceTestSupport.ChildProcess(
            ProcessRunner.repositoryRoot.appendingPathComponent("scripts/mesh").path, arguments,
            environment: ["QE_BIN_DIR": ProcessRunner.buildDirectory.path], directory: ProcessRunner.repositoryRoot)
    }

    func start() throws { try child.start() }
    var output: String { child.output }

    func waitFor(_ text: String, timeout: TimeInterval) throws {
        _ = try child.waitFor("'\(text)'", timeout: .milliseconds(Int(timeout * 1000))) { $0.contains(text) ? true : nil }
    }

    func signal(_ number: Int32) { child.signal(number) }

    func waitForExit(timeout: TimeInterval) throws -> Int32 {
        guard child.waitForExit(timeout: .milliseconds(Int(timeout * 1000))) else {
            throw MeshTestError("scripts/mesh still running \(timeout) s after SIGINT:\n\(output)")
        }
        return child.stop()
    }

    /// Last resort when a test failed midway: stop the runner (it stops its children).
    func kill() { child.stop(SIGTERM, grace: .seconds(30)) }
}

struct MeshTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
