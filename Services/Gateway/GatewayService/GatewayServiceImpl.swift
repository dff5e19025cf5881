import GatewayAPI
import GatewayCore
import RPCCore

/// `quantum.gateway.v1.GatewayService` over gRPC: validates the request, derives the
/// downstream deadline and forwarded metadata from the call, and hands the rest to the
/// operation's assembly in GatewayCore (a FanOut).
public struct GatewayServiceImpl: GatewayServiceHandler {
    let clients: GatewayClients
    let settings: GatewaySettings
    let overviewKeys: OverviewKeyCache?

    public init(clients: GatewayClients, settings: GatewaySettings = GatewaySettings()) {
        self.clients = clients
        self.settings = settings
        self.overviewKeys = settings.overviewKeysTimeToLive > .zero ? OverviewKeyCache(timeToLive: settings.overviewKeysTimeToLive) : nil
    }

    public func getCustomerOverview(_ request: GetCustomerOverviewRequest, context: ServerContext) async throws -> GetCustomerOverviewResponse {
        try GatewayRequestValidation.validate(request)
        let overview = try await fanOut(context).customerOverview(request)
        return .with { $0.overview = overview }
    }

    public func getPremiseOverview(_ request: GetPremiseOverviewRequest, context: ServerContext) async throws -> GetPremiseOverviewResponse {
        try GatewayRequestValidation.validate(request)
        let overview = try await fanOut(context).premiseOverview(request)
        return .with { $0.overview = overview }
    }

    public func getOutageImpact(_ request: GetOutageImpactRequest, context: ServerContext) async throws -> GetOutageImpactResponse {
        try GatewayRequestValidation.validate(request)
        let impact = try await fanOut(context).outageImpact(request)
        return .with { $0.impact = impact }
    }

    public func billAccount(_ request: BillAccountRequest, context: ServerContext) async throws -> BillAccountResponse {
        try GatewayRequestValidation.validate(request)
        return try await fanOut(context).billAccount(request)
    }

    public func getReliabilityReport(_ request: GetReliabilityReportRequest, context: ServerContext) async throws -> GetReliabilityReportResponse {
        try GatewayRequestValidation.validate(request)
        return try await fanOut(context).reliabilityReport(request)
    }

    /// The caller's deadline (minus the margin) and metadata, for every downstream call; the
    /// request id is echoed in the response headers so a caller without one can still quote it.
    private func fanOut(_ context: ServerContext) -> FanOut {
        let call = DownstreamCall(callerDeadline: context.deadline, callerMetadata: context.requestMetadata, policy: settings.deadlines)
        if let requestID = call.metadata.first("x-request-id") { context.addResponseHeader("x-request-id", requestID) }
        return FanOut(clients: clients, call: call, settings: settings, overviewKeys: overviewKeys)
    }
}
