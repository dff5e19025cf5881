import ProtoRuntime
import MeshAuth
import QECLI
import XCTest

/// The runner's pieces, called directly: child command lines, port conflicts, log prefixes,
/// line splitting, the demo-seed report and the state files.
final class MeshRunnerPiecesTests: XCTestCase {
    func testEachChildGetsItsPortsDataDirectoryAndPeers() {
        let layout = MeshLayout(host: "127.0.0.1", grpcPortBase: 41000, adminPortBase: 42000)
        let customer = ChildCommand(service: .customer, layout: layout, binDirectory: "/opt/qe/bin", dataDirectory: "/var/qe")
        XCTAssertEqual(customer.executablePath, "/opt/qe/bin/customer-service")
        XCTAssertEqual(customer.arguments, [
            "--host", "127.0.0.1", "--port", "41001", "--admin-host", "127.0.0.1", "--admin-port", "42001",
            "--data-dir", "/var/qe", "--log-format", "text", "--log-level", "info",
        ])

        let metering = ChildCommand(service: .metering, layout: layout, binDirectory: "/bin/", dataDirectory: "/d", pageTokenSecret: "0123456789abcdef0123")
        XCTAssertEqual(metering.executablePath, "/bin/metering-service")
        XCTAssertEqual(Array(metering.arguments.suffix(2)), ["--peer", "customer=127.0.0.1:41001"])
        XCTAssertEqual(metering.arguments.filter { $0 == "--peer" }.count, 1)
        XCTAssertEqual(metering.environment, ["QE_PAGE_TOKEN_SECRET": "0123456789abcdef0123"])
        XCTAssertFalse(metering.arguments.contains("0123456789abcdef0123"), "the secret must not show in argv")

        let gateway = ChildCommand(service: .gateway, layout: layout, binDirectory: "/b", dataDirectory: "/d", logFormat: "json")
        XCTAssertEqual(gateway.executablePath, "/b/gateway")
        XCTAssertTrue(gateway.arguments.contains("41000"))
        XCTAssertTrue(gateway.arguments.contains("json"))
        let peers = stride(from: 0, to: gateway.arguments.count, by: 1)
            .filter { gateway.arguments[$0] == "--peer" }.map { gateway.arguments[$0 + 1] }
        XCTAssertEqual(peers, [
            "customer=127.0.0.1:41001", "metering=127.0.0.1:41002", "asset=127.0.0.1:41003",
            "outage=127.0.0.1:41004", "finance=127.0.0.1:41005",
        ])
        for service in [MeshService.asset, .outage] {
            XCTAssertFalse(ChildCommand(service: service, layout: layout, binDirectory: "/b", dataDirectory: "/d").arguments.contains("--peer"))
        }
        // Finance asks customer-service about accounts and consents (separation policy).
        let finance = ChildCommand(service: .finance, layout: layout, binDirectory: "/b", dataDirectory: "/d")
        XCTAssertEqual(finance.arguments.filter { $0 == "--peer" }.count, 1)
        XCTAssertTrue(finance.arguments.contains("customer=127.0.0.1:41001"))
    }

    func testAuthSettingsReachEveryChildThroughTheEnvironmentOnly() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qe-auth-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let credentials = try MeshCredentials.prepare(dataDirectory: directory)
        let layout = MeshLayout()
        for service in MeshService.all {
            let command = ChildCommand(
                service: service, layout: layout, binDirectory: "/b", dataDirectory: directory,
                authEnvironment: credentials.environment(for: service))
            XCTAssertEqual(command.environment["QE_AUTH_PUBLIC_KEY"], directory + "/auth/mesh-signing-key.pub.pem", service.name)
            let expectsServiceToken = service == .finance || service == .metering
            XCTAssertEqual(command.environment["QE_AUTH_SERVICE_TOKEN_FILE"] != nil, expectsServiceToken, service.name)
            XCTAssertFalse(command.arguments.contains { $0.hasPrefix("--auth") || $0.hasSuffix(".pem") }, "\(service.name): auth settings stay out of argv")
        }
        // The service token is a corporate customer.read token the services' verifier accepts.
        let token = try String(contentsOfFile: credentials.serviceTokenFiles["finance"]!, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let verifier = TokenVerifier(publicKey: try credentials.keys.loadPublicKey(), audience: AuthOptions.defaultAudience)
        let caller = try verifier.verify(token)
        XCTAssertEqual(caller.businessUnit, .corporate)
        XCTAssertEqual(caller.scopes, ["customer.read"])
        let attributes = try FileManager.default.attributesOfItem(atPath: credentials.serviceTokenFiles["finance"]!)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600, "a token file is a credential")
        // A second start keeps the key pair (tokens minted earlier stay valid).
        let again = try MeshCredentials.prepare(dataDirectory: directory)
        XCTAssertEqual(try again.keys.loadPublicKey().rawRepresentation, try credentials.keys.loadPublicKey().rawRepresentation)
    }

    func testDefaultLayoutIsTheServicesOwnDefaults() {
        let layout = MeshLayout()
        XCTAssertEqual(MeshService.all.map { layout.grpcPort($0) }, [50061, 50062, 50063, 50064, 50065, 50060])
        XCTAssertEqual(MeshService.all.map { layout.adminPort($0) }, [9461, 9462, 9463, 9464, 9465, 9460])
        XCTAssertEqual(layout.adminURL(.finance), "http://127.0.0.1:9465")
    }

    func testPortConflictNamesTheServiceAndPort() throws {
        let layout = MeshLayout(host: "127.0.0.1", grpcPortBase: 43000, adminPortBase: 44000)
        let conflicts = PortProbe.conflicts(in: layout) { _, port in port != 43004 && port != 44001 }
        XCTAssertEqual(conflicts.map(\.port), [44001, 43004])
        XCTAssertEqual(conflicts.map(\.service.name), ["customer", "outage"])
        let message = conflicts[1].description
        XCTAssertTrue(message.contains("outage-service"), message)
        XCTAssertTrue(message.contains("gRPC port 127.0.0.1:43004 is already in use"), message)
        XCTAssertTrue(conflicts[0].description.contains("admin port 127.0.0.1:44001"), conflicts[0].description)
    }

    func testPortProbeSeesARealListener() throws {
        let listener = try TCPListener()
        XCTAssertFalse(PortProbe.isFree(host: "127.0.0.1", port: listener.port))
        listener.close()
        XCTAssertTrue(PortProbe.isFree(host: "127.0.0.1", port: listener.port))
    }

    func testPreflightReportsMissingExecutablesAndBusyPorts() throws {
        let bin = FileManager.default.temporaryDirectory.appendingPathComponent("mesh-bin-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: bin) }
        for service in MeshService.all where service != .gateway {
            let path = bin + "/" + service.executable
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755]))
        }
        var options = MeshSupervisor.Options(binDirectory: bin, dataDirectory: "/tmp/unused")
        options.layout = MeshLayout(grpcPortBase: 45000, adminPortBase: 46000)
        let problems = MeshSupervisor(options: options).preflight { _, port in port != 45003 }
        XCTAssertEqual(problems.count, 2, "\(problems)")
        XCTAssertTrue(problems[0].hasPrefix("gateway is missing: no executable at \(bin)/gateway"), problems[0])
        XCTAssertTrue(problems[1].contains("asset-service: gRPC port 127.0.0.1:45003"), problems[1])
    }

    func testLogPrefixesLineUpAndColorOnlyWhenAsked() {
        let plain = LogPrefixer(name: "asset", width: 8, colorIndex: nil)
        XCTAssertEqual(plain.prefix("serving"), "asset    | serving")
        XCTAssertEqual(LogPrefixer(name: "customer", width: 8, colorIndex: nil).prefix("x"), "customer | x")
        let colored = LogPrefixer(name: "asset", width: 8, colorIndex: 2)
        XCTAssertEqual(colored.prefix("serving"), "\u{1B}[33masset    |\u{1B}[0m serving")
        XCTAssertNotEqual(LogPrefixer(name: "a", width: 1, colorIndex: 0).color, LogPrefixer(name: "b", width: 1, colorIndex: 1).color)
    }

    func testLineSplitterKeepsPartialLinesUntilTheirEnd() {
        var splitter = LineSplitter()
        XCTAssertEqual(splitter.feed(Array("one\ntw".utf8)), ["one"])
        XCTAssertEqual(splitter.feed(Array("o\r\nthree\n\nfo".utf8)), ["two", "three", ""])
        XCTAssertEqual(splitter.finish(), "fo")
        XCTAssertNil(splitter.finish())
    }

    func testDemoSeedReportIsItsLastJSONLine() {
        let output = "progress 1\n{\"not\":\"this\"}\n{\"customer_id\":\"CUS-1\",\"premise_id\":\"PRM-2\",\"customers\":100,\"ok\":true}\n\n"
        XCTAssertEqual(DemoSeedStep.sampleIDs(fromLastLineOf: output),
                       ["customer_id": "CUS-1", "premise_id": "PRM-2", "customers": "100", "ok": "true"])
        XCTAssertNil(DemoSeedStep.sampleIDs(fromLastLineOf: "done\n"))
        XCTAssertEqual(DemoSeedStep.arguments(layout: MeshLayout(), seed: 7), [
            "--customer", "127.0.0.1:50061", "--metering", "127.0.0.1:50062", "--asset", "127.0.0.1:50063",
            "--outage", "127.0.0.1:50064", "--finance", "127.0.0.1:50065", "--seed", "7",
        ])
    }

    func testStateFilesRoundTripAndLiveness() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mesh-state-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let state = MeshState(runnerPID: getpid(), services: [
            .init(name: "customer", pid: 123, grpcAddress: "127.0.0.1:50061", adminURL: "http://127.0.0.1:9461"),
        ])
        try state.write(to: directory)
        XCTAssertEqual(MeshState.read(from: directory), state)
        XCTAssertEqual(MeshState.runnerPID(in: directory), getpid())
        XCTAssertTrue(MeshState.isAlive(getpid()))
        MeshState.remove(from: directory)
        XCTAssertNil(MeshState.read(from: directory))
        XCTAssertNil(MeshState.runnerPID(in: directory))
    }

    func testChildProcessStopsWithSIGTERMAndReportsItsOutput() throws {
        let bin = FileManager.default.temporaryDirectory.appendingPathComponent("mesh-child-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: bin) }
        // A stand-in that ignores SIGTERM, so stop() has to escalate to SIGKILL.
        let script = "#!/bin/sh\ntrap '' TERM\necho started \"$@\"\nwhile true; do sleep 0.05; done\n"
        XCTAssertTrue(FileManager.default.createFile(atPath: bin + "/asset-service", contents: Data(script.utf8), attributes: [.posixPermissions: 0o755]))
        let command = ChildCommand(service: .asset, layout: MeshLayout(), binDirectory: bin, dataDirectory: "/tmp/x")
        let lines = LinesSeen()
        let child = try ChildProcess.spawn(command) { lines.add($0) }
        let deadline = Date().addingTimeInterval(10)
        while lines.all.isEmpty && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertTrue(lines.all.first?.hasPrefix("started --host 127.0.0.1 --port 50063") ?? false, "\(lines.all)")
        XCTAssertNotEqual(getpgid(child.pid), getpgid(getpid()), "a child runs in its own process group")
        child.stop(grace: .milliseconds(300))
        XCTAssertFalse(child.isRunning)
        XCTAssertEqual(child.exitStatus, 128 + SIGKILL)
        XCTAssertFalse(MeshState.isAlive(child.pid))
    }

    func testMissingExecutableIsNamed() {
        let command = ChildCommand(service: .gateway, layout: MeshLayout(), binDirectory: "/nonexistent", dataDirectory: "/tmp/x")
        XCTAssertThrowsError(try ChildProcess.spawn(command) { _ in }) { error in
            XCTAssertEqual("\(error)", "gateway is missing: no executable at /nonexistent/gateway")
        }
    }
}

final class LinesSeen: @unchecked Sendable {
    // Sendable: every access holds `lock`.
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}

/// A real TCP listener on an ephemeral loopback port.
final class TCPListener {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 4) == 0 else {
            _ = Glibc.close(fd)
            throw NSError(domain: "listen", code: Int(errno))
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: actual.sin_port))
    }

    func close() { _ = Glibc.close(fd) }
}
