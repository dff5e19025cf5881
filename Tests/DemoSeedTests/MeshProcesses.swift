import Foundation
import ServiceTestSupport
import XCTest

/// The five real service executables as child processes on free ports with their own data
/// directory, found beside the test bundle (where `swift build --build-tests` puts them).
final class MeshProcesses {
    static let services = ["customer", "metering", "asset", "outage", "finance"]

    let dataDirectory: URL
    private(set) var children: [String: ChildProcess] = [:]
    private(set) var ports: [String: Int] = [:]

    static func executable(_ name: String) throws -> String {
        guard let path = BuiltExecutables.find(name) else {
            throw XCTSkip("\(name) not found next to the test bundle; build with `swift build --build-tests`")
        }
        return path
    }

    init() throws {
        dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("demo-seed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
    }

    /// Starts customer-service first (metering checks premises with it), then the other four.
    func start() throws {
        for service in Self.services {
            var extra: [String] = []
            if service == "metering", let customer = ports["customer"] { extra = ["--peer", "customer=127.0.0.1:\(customer)"] }
            try start(service, extra)
        }
    }

    func target(_ service: String) -> String { "127.0.0.1:\(ports[service] ?? 0)" }

    private func start(_ service: String, _ extra: [String]) throws {
        let child = ChildProcess(try Self.executable("\(service)-service"), [
            "--host", "127.0.0.1", "--port", "0", "--admin-host", "127.0.0.1", "--admin-port", "0",
            "--data-dir", dataDirectory.appendingPathComponent(service).path, "--log-format", "json",
            "--page-token-secret", "demo-seed-test-page-token-secret",
        ] + extra)
        try child.start()
        children[service] = child
        do {
            ports[service] = try child.waitFor("serving", BoundPort.fromServingLog)
        } catch {
            throw XCTSkip("\(service)-service did not start serving:\n\(child.output)")
        }
    }

    /// SIGTERM to every child (SIGKILL after a grace period), then the data directory goes.
    func stop() {
        for child in children.values { child.signal(SIGTERM) }
        for child in children.values { child.stop(grace: .seconds(10)) }
        children = [:]
        try? FileManager.default.removeItem(at: dataDirectory)
    }

    /// Runs the real `demo-seed` against these services; returns its exit status, stdout and stderr.
    func runDemoSeed(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let run = try ChildProcess.run(
            try Self.executable("demo-seed"), Self.services.flatMap { ["--\($0)", target($0)] } + arguments,
            output: .separate, timeout: .seconds(120), throwOnTimeout: false)
        return (run.status, run.output, run.errorOutput)
    }
}
