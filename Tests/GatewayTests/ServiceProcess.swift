import Foundation
import ServiceTestSupport

/// One of the mesh's real executables, started as a child process from the build directory
/// with a temp data dir and a log file; its gRPC port is read from its "serving" log line.
/// It can be started again (same data, a fresh log) after a stop.
final class ServiceProcess: @unchecked Sendable {
    // @unchecked Sendable: the mutable `child`, `log` and `port` are only touched from the
    // test's own (serial) set-up, test and tear-down code.
    let executable: String
    let dataDirectory: String
    private var child: ChildProcess?
    private(set) var log: URL
    private(set) var port = 0
    /// The bound admin port (HTTP: /metrics, probes, the gateway's JSON front).
    private(set) var adminPort = 0

    init(executable: String, dataDirectory: String) {
        self.executable = executable
        self.dataDirectory = dataDirectory
        self.log = URL(fileURLWithPath: dataDirectory).appendingPathComponent("process.log")
    }

    /// Where `swift build --build-tests` put the executables: beside the test bundle.
    static func binary(_ name: String) throws -> String {
        do { return try BuiltExecutables.require(name) } catch { throw MeshError("\(error)") }
    }

    /// Starts on `port` (0 = any free one) and waits until it serves; `environment` is added
    /// to the test's own.
    func start(
        port requested: Int = 0, arguments extra: [String] = [], environment: [String: String] = [:], timeout: Duration = .seconds(30)
    ) throws {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        log = URL(fileURLWithPath: dataDirectory).appendingPathComponent("process-\(UUID().uuidString.prefix(8)).log")
        let child = ChildProcess(executable, [
            "--host", "127.0.0.1", "--port", "\(requested)", "--admin-host", "127.0.0.1", "--admin-port", "0",
            "--data-dir", dataDirectory, "--log-format", "json", "--log-level", "info",
            "--page-token-secret", "gateway-tests-page-token-secret", "--shutdown-grace", "1",
        ] + extra, environment: environment, output: .file(log))
        self.child = child
        try child.start()
        do {
            port = try child.waitFor("serving", timeout: timeout, BoundPort.fromServingLog)
            adminPort = BoundPort.adminFromServingLog(logText) ?? 0
        } catch {
            throw MeshError("\(executable) did not start serving; its log:\n\(logText)")
        }
    }

    var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
    var isRunning: Bool { child?.isRunning ?? false }

    func signal(_ number: Int32) { child?.signal(number) }

    /// SIGCONT (in case a test stopped it), SIGTERM, then SIGKILL if it lingers.
    @discardableResult
    func stop(grace: Duration = .seconds(5)) -> Int32 {
        guard let child else { return 0 }
        child.signal(SIGCONT)
        return child.stop(SIGTERM, grace: grace)
    }
}

struct MeshError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
