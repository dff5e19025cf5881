import AssetAPI
import AssetDomain
import MeshAuth
import QuantumTypes
import RPCCore
import ServiceKit

/// `quantum.asset.v1.AssetService` over gRPC: every method hands its request to
/// `AssetOperations` (the rules and the store) and turns what it throws into a status.
public struct AssetServiceImpl: AssetServiceHandler {
    let operations: AssetOperations

    public init(operations: AssetOperations) {
        self.operations = operations
    }

    public func createAsset(_ request: CreateAssetRequest, context: ServerContext) async throws -> CreateAssetResponse {
        try await status { try await operations.createAsset(request) }
    }

    public func getAsset(_ request: GetAssetRequest, context: ServerContext) async throws -> GetAssetResponse {
        try await status { try await operations.getAsset(request) }
    }

    public func batchGetAssets(_ request: BatchGetAssetsRequest, context: ServerContext) async throws -> BatchGetAssetsResponse {
        try await status { try await operations.batchGetAssets(request) }
    }

    public func updateAsset(_ request: UpdateAssetRequest, context: ServerContext) async throws -> UpdateAssetResponse {
        try await status { try await operations.updateAsset(request) }
    }

    public func listAssets(_ request: ListAssetsRequest, context: ServerContext) async throws -> ListAssetsResponse {
        try await status { try await operations.listAssets(request) }
    }

    public func setParent(_ request: SetParentRequest, context: ServerContext) async throws -> SetParentResponse {
        try await status { try await operations.setParent(request) }
    }

    public func getDownstream(_ request: GetDownstreamRequest, context: ServerContext) async throws -> GetDownstreamResponse {
        try await status { try await operations.getDownstream(request) }
    }

    public func getUpstreamPath(_ request: GetUpstreamPathRequest, context: ServerContext) async throws -> GetUpstreamPathResponse {
        try await status { try await operations.getUpstreamPath(request) }
    }

    public func createMaintenanceRecord(
        _ request: CreateMaintenanceRecordRequest, context: ServerContext
    ) async throws -> CreateMaintenanceRecordResponse {
        try await status { try await operations.createMaintenanceRecord(request) }
    }

    public func listMaintenanceRecords(
        _ request: ListMaintenanceRecordsRequest, context: ServerContext
    ) async throws -> ListMaintenanceRecordsResponse {
        try await status { try await operations.listMaintenanceRecords(request) }
    }

    public func listAssetsDueForMaintenance(
        _ request: ListAssetsDueForMaintenanceRequest, context: ServerContext
    ) async throws -> ListAssetsDueForMaintenanceResponse {
        try await status { try await operations.listAssetsDueForMaintenance(request) }
    }

    public func recordPerformanceSamples(
        _ requests: RPCAsyncSequence<RecordPerformanceSamplesRequest>, context: ServerContext
    ) async throws -> RecordPerformanceSamplesResponse {
        try await status { try await operations.recordPerformanceSamples(requests) }
    }

    public func summarizePerformance(_ request: SummarizePerformanceRequest, context: ServerContext) async throws -> SummarizePerformanceResponse {
        try await status { try await operations.summarizePerformance(request) }
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
