import GRPCHealthV1
import RPCCore

/// `grpc.health.v1.Health`, answering from a `HealthStatusRegistry`.
public struct HealthService: HealthHandler {
    public let registry: HealthStatusRegistry

    public init(registry: HealthStatusRegistry) {
        self.registry = registry
    }

    public func check(_ request: HealthCheckRequest, context: ServerContext) async throws -> HealthCheckResponse {
        guard let status = registry.status(of: request.service) else {
            throw RPCError(code: .notFound, message: "unknown service \"\(request.service)\"")
        }
        return .with { $0.status = status }
    }

    public func list(_ request: HealthListRequest, context: ServerContext) async throws -> HealthListResponse {
        let statuses = registry.all
        guard statuses.count <= 100 else {
            throw RPCError(code: .resourceExhausted, message: "\(statuses.count) services, more than List returns (100)")
        }
        return .with { $0.statuses = statuses.mapValues { status in .with { $0.status = status } } }
    }

    public func watch(_ request: HealthCheckRequest, writer: RPCWriter<HealthCheckResponse>, context: ServerContext) async throws {
        for await status in registry.watch(request.service) {
            try await writer.write(.with { $0.status = status })
        }
    }
}
