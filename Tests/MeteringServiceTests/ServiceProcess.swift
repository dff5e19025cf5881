import Foundation
import ServiceTestSupport
import XCTest

/// One of our service executables as a child process on a data directory, logging JSON to a
/// file from which the bound gRPC port is read.
final class ServiceProcess {
    let child: ChildProcess
    let port: Int
    let log: URL

    /// Starts `name` on 127.0.0.1:`port` (0 = any free port) and returns once it serves.
    /// `log` is truncated first, so the port read is this run's.
    static func start(
        _ name: String, dataDirectory: String, log: URL, port: Int = 0, arguments: [String] = []
    ) async throws -> ServiceProcess {
        guard let executable = BuiltExecutables.find(name) else {
            throw XCTSkip("\(name) not found next to the test bundle; build with `swift build --build-tests`")
        }
        let child = ChildProcess(executable, [
            "--host", "127.0.0.1", "--port", "\(port)", "--admin-host", "127.0.0.1", "--admin-port", "0",
            "--data-dir", dataDirectory, "--log-format", "json", "--page-token-secret", "\(name)-tests-page-token-secret",
        ] + arguments, output: .file(log))
        try child.start()
        let bound = try child.waitFor("serving", timeout: .seconds(20), BoundPort.fromServingLog)
        return ServiceProcess(child: child, port: bound, log: log)
    }

    private init(child: ChildProcess, port: Int, log: URL) {
        self.child = child
        self.port = port
        self.log = log
    }

    var isRunning: Bool { child.isRunning }

    /// `signal` (SIGTERM: drain and exit 0; SIGKILL: a crash), then waits up to `grace` for
    /// the exit; a process still running after that is killed. Returns the exit status.
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM, grace: Duration = .seconds(10)) -> Int32 {
        child.stop(signal, grace: grace)
    }
}
