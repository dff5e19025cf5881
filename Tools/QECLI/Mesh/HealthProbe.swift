import GRPCHealthV1
import RPCCore
import Transport

/// Asks a server for its health over the gRPC health protocol (grpc.health.v1.Health/Check).
public enum HealthProbe {
    /// The serving status name (`SERVING`, `NOT_SERVING`, …), or the RPC error's status name
    /// when the call failed (`UNAVAILABLE` when nothing listens).
    public static func status(address: String, service: String = "", timeout: Duration = .seconds(2), metadata: Metadata = [:]) async -> HealthResult {
        let channel: GRPCChannel
        do {
            channel = try GRPCChannel(target: address)
        } catch {
            return .failed(RPCError(from: error))
        }
        defer { channel.close() }
        do {
            let response = try await HealthClient(channel: channel).check(
                HealthCheckRequest.with { $0.service = service }, options: .timeout(timeout, metadata: metadata))
            return .status(response.status.protoName ?? "UNKNOWN(\(response.status.rawValue))")
        } catch {
            return .failed(RPCError(from: error))
        }
    }

    /// Polls until SERVING, `timeout` passes, or `giveUp` says to stop (the child exited).
    public static func waitUntilServing(
        address: String, timeout: Duration, giveUp: @Sendable () -> Bool = { false }
    ) async -> HealthResult {
        let deadline = ContinuousClock.now + timeout
        var last = HealthResult.failed(RPCError(code: .unavailable, message: "not asked yet"))
        while ContinuousClock.now < deadline, !giveUp() {
            last = await status(address: address, timeout: .seconds(2))
            if last.isServing { return last }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return last
    }
}

/// What a health check said.
public enum HealthResult: Sendable, Equatable, CustomStringConvertible {
    case status(String)
    case failed(RPCError)

    public var isServing: Bool { self == .status("SERVING") }

    public var description: String {
        switch self {
        case .status(let name): name
        case .failed(let error): "\(error.code.name)\(error.message.isEmpty ? "" : ": \(error.message)")"
        }
    }
}
