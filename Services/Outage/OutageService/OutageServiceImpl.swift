import MeshAuth
import OutageAPI
import OutageDomain
import QuantumTypes
import RPCCore
import ServiceKit

/// `quantum.outage.v1.OutageService` over gRPC: every method hands its request to
/// `OutageOperations` (the rules, the store and the feeds) and turns what it throws into a
/// status. Streaming responses go straight to the call's writer, so its backpressure reaches
/// the feed loops.
public struct OutageServiceImpl: OutageServiceHandler {
    let operations: OutageOperations

    public init(operations: OutageOperations) {
        self.operations = operations
    }

    public func reportOutage(_ request: ReportOutageRequest, context: ServerContext) async throws -> ReportOutageResponse {
        try await status { try await operations.reportOutage(request) }
    }

    public func confirmOutage(_ request: ConfirmOutageRequest, context: ServerContext) async throws -> ConfirmOutageResponse {
        try await status { try await operations.confirmOutage(request) }
    }

    public func updateOutage(_ request: UpdateOutageRequest, context: ServerContext) async throws -> UpdateOutageResponse {
        try await status { try await operations.updateOutage(request) }
    }

    public func restoreOutage(_ request: RestoreOutageRequest, context: ServerContext) async throws -> RestoreOutageResponse {
        try await status { try await operations.restoreOutage(request) }
    }

    public func getOutage(_ request: GetOutageRequest, context: ServerContext) async throws -> GetOutageResponse {
        try await status { try await operations.getOutage(request) }
    }

    public func listOutages(_ request: ListOutagesRequest, context: ServerContext) async throws -> ListOutagesResponse {
        try await status { try await operations.listOutages(request) }
    }

    public func watchOutages(_ request: WatchOutagesRequest, writer: RPCWriter<WatchOutagesResponse>, context: ServerContext) async throws {
        try await status { try await operations.watchOutages(request, send: writer.write) }
    }

    public func createWorkOrder(_ request: CreateWorkOrderRequest, context: ServerContext) async throws -> CreateWorkOrderResponse {
        try await status { try await operations.createWorkOrder(request) }
    }

    public func getWorkOrder(_ request: GetWorkOrderRequest, context: ServerContext) async throws -> GetWorkOrderResponse {
        try await status { try await operations.getWorkOrder(request) }
    }

    public func listWorkOrders(_ request: ListWorkOrdersRequest, context: ServerContext) async throws -> ListWorkOrdersResponse {
        try await status { try await operations.listWorkOrders(request) }
    }

    public func assignWorkOrder(_ request: AssignWorkOrderRequest, context: ServerContext) async throws -> AssignWorkOrderResponse {
        try await status { try await operations.assignWorkOrder(request) }
    }

    public func transitionWorkOrder(_ request: TransitionWorkOrderRequest, context: ServerContext) async throws -> TransitionWorkOrderResponse {
        try await status { try await operations.transitionWorkOrder(request) }
    }

    public func registerCrew(_ request: RegisterCrewRequest, context: ServerContext) async throws -> RegisterCrewResponse {
        try await status { try await operations.registerCrew(request) }
    }

    public func getCrew(_ request: GetCrewRequest, context: ServerContext) async throws -> GetCrewResponse {
        try await status { try await operations.getCrew(request) }
    }

    public func listCrews(_ request: ListCrewsRequest, context: ServerContext) async throws -> ListCrewsResponse {
        try await status { try await operations.listCrews(request) }
    }

    public func updateCrew(_ request: UpdateCrewRequest, context: ServerContext) async throws -> UpdateCrewResponse {
        try await status { try await operations.updateCrew(request) }
    }

    public func reportCrewPosition(_ request: ReportCrewPositionRequest, context: ServerContext) async throws -> ReportCrewPositionResponse {
        try await status { try await operations.reportCrewPosition(request) }
    }

    public func listCrewDispatches(_ request: ListCrewDispatchesRequest, context: ServerContext) async throws -> ListCrewDispatchesResponse {
        try await status { try await operations.listCrewDispatches(request) }
    }

    public func getReliabilityIndices(_ request: GetReliabilityIndicesRequest, context: ServerContext) async throws -> GetReliabilityIndicesResponse {
        try await status { try await operations.getReliabilityIndices(request) }
    }

    public func recordGridState(_ requests: RPCAsyncSequence<RecordGridStateRequest>, context: ServerContext) async throws -> RecordGridStateResponse {
        try await status { try await operations.recordGridState(requests) }
    }

    public func recordPipelineState(_ requests: RPCAsyncSequence<RecordPipelineStateRequest>, context: ServerContext) async throws -> RecordPipelineStateResponse {
        try await status { try await operations.recordPipelineState(requests) }
    }

    public func getLatestGridState(_ request: GetLatestGridStateRequest, context: ServerContext) async throws -> GetLatestGridStateResponse {
        try await status { try await operations.getLatestGridState(request) }
    }

    public func getLatestPipelineState(_ request: GetLatestPipelineStateRequest, context: ServerContext) async throws -> GetLatestPipelineStateResponse {
        try await status { try await operations.getLatestPipelineState(request) }
    }

    public func watchGridAlarms(_ request: WatchGridAlarmsRequest, writer: RPCWriter<WatchGridAlarmsResponse>, context: ServerContext) async throws {
        try await status { try await operations.watchGridAlarms(request, send: writer.write) }
    }

    public func issueDerDispatch(_ request: IssueDerDispatchRequest, context: ServerContext) async throws -> IssueDerDispatchResponse {
        try await status { try await operations.issueDerDispatch(request) }
    }

    public func getDerDispatch(_ request: GetDerDispatchRequest, context: ServerContext) async throws -> GetDerDispatchResponse {
        try await status { try await operations.getDerDispatch(request) }
    }

    public func recordDerDispatchReply(_ request: RecordDerDispatchReplyRequest, context: ServerContext) async throws -> RecordDerDispatchReplyResponse {
        try await status { try await operations.recordDerDispatchReply(request) }
    }

    public func listDerDispatches(_ request: ListDerDispatchesRequest, context: ServerContext) async throws -> ListDerDispatchesResponse {
        try await status { try await operations.listDerDispatches(request) }
    }

    public func listAuditRecords(_ request: ListAuditRecordsRequest, context: ServerContext) async throws -> ListAuditRecordsResponse {
        try await status {
            // Corporate callers only, when authentication is on (issue 11).
            try AuditTrailAccess.requireReader()
            return try await operations.listAuditRecords(request)
        }
    }

    /// Runs one call; errors become the caller's status (ServiceKit `HandlerStatus`).
    private func status<T>(_ body: () async throws -> T) async throws(RPCError) -> T {
        try await HandlerStatus.run(body)
    }
}
