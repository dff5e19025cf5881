import ArgumentParser
import Foundation
import RPCCore

/// Options every `qe` command takes: where to call, how long to wait, what to send along,
/// and how to print the answer.
public struct GlobalOptions: ParsableArguments, Sendable {
    @Option(help: ArgumentHelp(
        "Server address host:port (env QE_<SERVICE>_ADDR, then QE_ADDR; default the mesh's port for the command's service, e.g. 127.0.0.1:50061 for customer).",
        valueName: "host:port"))
    public var addr: String?

    @Option(help: ArgumentHelp("Deadline for the call: 500ms, 5s, 2m (default 5s).", valueName: "duration"))
    public var deadline: String = "5s"

    @Option(name: [.customShort("H"), .customLong("header")], help: ArgumentHelp("Request metadata key=value; repeatable.", valueName: "key=value"))
    public var headers: [String] = []

    @Option(help: ArgumentHelp("Bearer token, sent as `authorization: Bearer <token>` (env QE_TOKEN).", valueName: "token"))
    public var token: String?

    @Flag(help: "Print the response as proto3 JSON instead of a table.")
    public var json = false

    public init() {}

    public func validate() throws {
        _ = try callTimeout()
        _ = try metadata()
    }

    /// The address for `service`: --addr, then QE_<SERVICE>_ADDR, then QE_ADDR, then the mesh default.
    public func address(for service: MeshService, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let addr, !addr.isEmpty { return addr }
        if let value = environment["QE_\(service.name.uppercased())_ADDR"], !value.isEmpty { return value }
        if let value = environment["QE_ADDR"], !value.isEmpty { return value }
        return MeshLayout().grpcAddress(service)
    }

    public func callTimeout() throws -> Duration {
        guard let duration = DurationArgument.parse(deadline), duration > .zero else {
            throw ValidationError("--deadline '\(deadline)' is not valid: expected a duration such as 500ms, 5s or 2m")
        }
        return duration
    }

    /// -H pairs plus the bearer token (flag, then QE_TOKEN).
    public func metadata(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Metadata {
        var metadata = Metadata()
        for header in headers {
            guard let equals = header.firstIndex(of: "="), equals != header.startIndex else {
                throw ValidationError("-H '\(header)' is not valid: expected key=value")
            }
            metadata.add(String(header[..<equals]).lowercased(), String(header[header.index(after: equals)...]))
        }
        if let token = token ?? environment["QE_TOKEN"], !token.isEmpty {
            metadata.replace("authorization", "Bearer \(token)")
        }
        return metadata
    }

    public func callOptions() throws -> CallOptions {
        CallOptions.timeout(try callTimeout(), metadata: try metadata())
    }
}

/// Durations on the command line: `250ms`, `5s`, `2m`, `1h`, `30d`; a bare number is seconds.
public enum DurationArgument {
    public static func parse(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        for (suffix, seconds) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count)), value.isFinite, value >= 0 else { return nil }
            return .milliseconds(Int64((value * seconds * 1000).rounded()))
        }
        guard let value = Double(text), value.isFinite, value >= 0 else { return nil }
        return .milliseconds(Int64((value * 1000).rounded()))
    }
}
