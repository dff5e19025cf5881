import Foundation
import ProtoRuntime
import Synchronization

/// Runs `demo-seed` once per data directory and remembers what it reported: its last stdout
/// line is one JSON object with counts and sample ids, kept in `<data-dir>/demo-seed.json`
/// (the marker), so later starts skip seeding and still show the tour with real ids.
public enum DemoSeedStep {
    public static let markerName = "demo-seed.json"
    public static let executable = "demo-seed"

    public static func arguments(layout: MeshLayout, seed: Int, customers: Int? = nil, days: Int? = nil) -> [String] {
        var scale: [String] = []
        if let customers { scale += ["--customers", String(customers)] }
        if let days { scale += ["--days", String(days)] }
        return ["--customer", layout.grpcAddress(.customer), "--metering", layout.grpcAddress(.metering),
         "--asset", layout.grpcAddress(.asset), "--outage", layout.grpcAddress(.outage),
         "--finance", layout.grpcAddress(.finance), "--seed", String(seed)] + scale
    }

    /// The sample ids from the marker, if this data directory was seeded.
    public static func recorded(dataDirectory: String) -> [String: String]? {
        guard let text = try? String(contentsOfFile: dataDirectory + "/" + markerName, encoding: .utf8) else { return nil }
        return sampleIDs(fromLastLineOf: text)
    }

    /// The members of the JSON object on the last non-empty line, as text (numbers included).
    public static func sampleIDs(fromLastLineOf output: String) -> [String: String]? {
        guard let line = output.split(whereSeparator: \.isNewline).last(where: { !$0.allSatisfy(\.isWhitespace) }),
              case .object(let members)? = try? JSONValue(parsing: String(line)) else { return nil }
        var ids: [String: String] = [:]
        for (key, value) in members {
            switch value {
            case .string(let text): ids[key] = text
            case .number(let text): ids[key] = text
            case .bool(let flag): ids[key] = String(flag)
            default: continue
            }
        }
        return ids
    }

    /// Seeds unless the marker exists. Progress (stderr) goes to `onLine`. Returns the sample
    /// ids, or nil when there is no demo-seed binary (said through `onLine`) or it failed.
    public static func runIfNeeded(
        binDirectory: String, dataDirectory: String, layout: MeshLayout, seed: Int, customers: Int? = nil, days: Int? = nil,
        token: String? = nil, onLine: @escaping @Sendable (String) -> Void
    ) throws -> [String: String]? {
        if let ids = recorded(dataDirectory: dataDirectory) { return ids }
        let path = binDirectory + "/" + executable
        guard FileManager.default.isExecutableFile(atPath: path) else {
            onLine("no \(executable) at \(path): starting without demo data")
            return nil
        }
        onLine("seeding demo data (first start of \(dataDirectory))")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments(layout: layout, seed: seed, customers: customers, days: days)
        if let token {
            // In the environment, not argv, where `ps` would show it.
            var environment = ProcessInfo.processInfo.environment
            environment["QE_TOKEN"] = token
            process.environment = environment
        }
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        let splitter = Mutex(LineSplitter())
        stderr.fileHandleForReading.readabilityHandler = { handle in
            let lines = splitter.withLock { $0.feed(handle.availableData) }
            for line in lines { onLine(line) }
        }
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        stderr.fileHandleForReading.readabilityHandler = nil
        if let rest = splitter.withLock({ $0.finish() }) { onLine(rest) }
        let text = String(decoding: output, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw MeshError("\(executable) failed with status \(process.terminationStatus); the mesh keeps running without complete demo data")
        }
        guard let ids = sampleIDs(fromLastLineOf: text) else {
            throw MeshError("\(executable) finished but its last output line is not a JSON object: \(text.suffix(200))")
        }
        let lastLine = text.split(whereSeparator: \.isNewline).last.map(String.init) ?? "{}"
        try (lastLine + "\n").write(toFile: dataDirectory + "/" + markerName, atomically: true, encoding: .utf8)
        return ids
    }
}
