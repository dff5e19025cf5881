import Foundation
import ProtoRuntime

/// What a running mesh leaves in its data directory so `status` and `stop` can find it:
/// `mesh.pid` (the runner's pid) and `mesh.json` (each child's pid and addresses).
/// Both are removed when the runner stops cleanly.
public struct MeshState: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let pid: Int32
        public let grpcAddress: String
        public let adminURL: String

        public init(name: String, pid: Int32, grpcAddress: String, adminURL: String) {
            self.name = name
            self.pid = pid
            self.grpcAddress = grpcAddress
            self.adminURL = adminURL
        }
    }

    public static let pidFileName = "mesh.pid"
    public static let stateFileName = "mesh.json"

    public let runnerPID: Int32
    public let services: [Entry]

    public init(runnerPID: Int32, services: [Entry]) {
        self.runnerPID = runnerPID
        self.services = services
    }

    public func write(to dataDirectory: String) throws {
        let entries = services.map { entry in
            JSONValue.object([
                ("name", .string(entry.name)), ("pid", .number(String(entry.pid))),
                ("grpc", .string(entry.grpcAddress)), ("admin", .string(entry.adminURL)),
            ])
        }
        let json = JSONValue.object([("runner_pid", .number(String(runnerPID))), ("services", .array(entries))])
        try (json.text(pretty: true) + "\n").write(toFile: dataDirectory + "/" + Self.stateFileName, atomically: true, encoding: .utf8)
        try "\(runnerPID)\n".write(toFile: dataDirectory + "/" + Self.pidFileName, atomically: true, encoding: .utf8)
    }

    public static func read(from dataDirectory: String) -> MeshState? {
        guard let text = try? String(contentsOfFile: dataDirectory + "/" + stateFileName, encoding: .utf8),
              let json = try? JSONValue(parsing: text),
              case .number(let runner)? = json["runner_pid"], let runnerPID = Int32(runner),
              case .array(let items)? = json["services"] else { return nil }
        let entries: [Entry] = items.compactMap { item in
            guard case .string(let name)? = item["name"], case .number(let pid)? = item["pid"], let pidValue = Int32(pid),
                  case .string(let grpc)? = item["grpc"], case .string(let admin)? = item["admin"] else { return nil }
            return Entry(name: name, pid: pidValue, grpcAddress: grpc, adminURL: admin)
        }
        return MeshState(runnerPID: runnerPID, services: entries)
    }

    /// The runner's pid from `mesh.pid`, if the file exists.
    public static func runnerPID(in dataDirectory: String) -> Int32? {
        guard let text = try? String(contentsOfFile: dataDirectory + "/" + pidFileName, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    public static func remove(from dataDirectory: String) {
        try? FileManager.default.removeItem(atPath: dataDirectory + "/" + stateFileName)
        try? FileManager.default.removeItem(atPath: dataDirectory + "/" + pidFileName)
    }

    /// Whether a process with this pid exists (and is not a zombie we could still reap).
    public static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        // A zombie still answers kill(0); /proc says Z.
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
           let close = stat.lastIndex(of: ")") {
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.first == "Z" { return false }
        }
        return true
    }
}
