import MeteringAPI
import MeteringDomain
import MeshAuth
import QuantumTypes
import RPCCore
import ServiceKit

/// `quantum.metering.v1.MeteringService` over gRPC: every method hands its request to
/// `MeteringOperations` (the rules and the store) and turns what it throws into a status.
/// The streaming methods only move messages between the wire and the domain's sessions.
public struct MeteringServiceImpl: MeteringServiceHandler {
    let operations: MeteringOperations
    /// The separation policy on usage-data reads, when the call has a caller (issue 11).
    let separation: MeteringSeparation

    /// - Parameters:
    ///   - customers: customer-service, which the separation policy asks whose a premise's
    ///     service is; without it, cross-boundary reads fail with FAILED_PRECONDITION when
    ///     authentication is on.
    ///   - audit: where separation decisions are recorded; default: the store's audit trail.
    public init(operations: MeteringOperations, customers: CustomerDirectory? = nil, audit: AuditTrail? = nil) {
        self.operations = operations
        self.separation = MeteringSeparation(operations: operations, customers: customers, audit: audit ?? operations.auditTrail)
    }

    public func createMeterPoint(_ request: CreateMeterPointRequest, context: ServerContext) async throws -> CreateMeterPointResponse {
        try await status { try await operations.createMeterPoint(request) }
    }

    public func getMeterPoint(_ request: GetMeterPointRequest, context: ServerContext) async throws -> GetMeterPointResponse {
        try await status { try await operations.getMeterPoint(request) }
    }

    public func listMeterPoints(_ request: ListMeterPointsRequest, context: ServerContext) async throws -> ListMeterPointsResponse {
        try await status { try await operations.listMeterPoints(request) }
    }

    public func changeMeterPointStatus(
        _ request: ChangeMeterPointStatusRequest, context: ServerContext
    ) async throws -> ChangeMeterPointStatusResponse {
        try await status { try await operations.changeMeterPointStatus(request) }
    }

    /// Each request message is one batch; at most one more is read while the oldest commits,
    /// so the stream's flow control paces the sender to the store. Answered after the last
    /// batch committed.
    public func ingestReadings(_ requests: RPCAsyncSequence<IngestReadingsRequest>, context: ServerContext) async throws -> IngestReadingsResponse {
        try await status {
            let ingestion = operations.readingIngestion()
            try await ingestion.ingest(all: requests)
            return ingestion.response
        }
    }

    /// Reads one chunk, writes it (suspending while the client is behind), then reads the next.
    public func streamReadings(_ request: StreamReadingsRequest, writer: RPCWriter<StreamReadingsResponse>, context: ServerContext) async throws {
        try await status {
            let plan = try await operations.planReadingStream(request)
            try await separation.requireUsageAccess(meterPointID: request.meterPointID, kind: "MeterReading")
            var cursor: MeteringOperations.ReadingCursor?
            repeat {
                let chunk = try await operations.readingChunk(plan, after: cursor)
                if !chunk.readings.isEmpty { try await writer.write(.with { $0.readings = chunk.readings }) }
                cursor = chunk.next
            } while cursor != nil
        }
    }

    /// One store read for every meter point; the separation policy answers each on its own.
    public func batchGetConsumptionProfiles(
        _ request: BatchGetConsumptionProfilesRequest, context: ServerContext
    ) async throws -> BatchGetConsumptionProfilesResponse {
        try await status { try await separation.visibleProfiles(try await operations.batchGetConsumptionProfiles(request)) }
    }

    public func getConsumptionProfile(
        _ request: GetConsumptionProfileRequest, context: ServerContext
    ) async throws -> GetConsumptionProfileResponse {
        try await status {
            let response = try await operations.getConsumptionProfile(request)
            switch request.subject {
            case .meterPointID(let id)?: try await separation.requireUsageAccess(meterPointID: id, kind: "ConsumptionProfile")
            case .premiseID(let id)?: try await separation.requirePremiseUsageAccess(premiseID: id, kind: "ConsumptionProfile")
            case nil: break
            }
            return response
        }
    }

    public func getLatestReading(_ request: GetLatestReadingRequest, context: ServerContext) async throws -> GetLatestReadingResponse {
        try await status {
            let response = try await operations.getLatestReading(request)
            try await separation.requireUsageAccess(meterPointID: request.meterPointID, kind: "MeterReading")
            return response
        }
    }

    public func validateReadings(_ request: ValidateReadingsRequest, context: ServerContext) async throws -> ValidateReadingsResponse {
        try await status { try await operations.validateReadings(request) }
    }

    /// The editor recorded on the reading is the authenticated caller's subject (its token's
    /// `sub`); with authentication off there is none, and the peer address stands in.
    public func editReading(_ request: EditReadingRequest, context: ServerContext) async throws -> EditReadingResponse {
        try await status { try await operations.editReading(request, editor: Caller.current?.subject ?? context.peer) }
    }

    public func recordDerTelemetry(
        _ requests: RPCAsyncSequence<RecordDerTelemetryRequest>, context: ServerContext
    ) async throws -> RecordDerTelemetryResponse {
        try await status {
            let ingestion = operations.derIngestion()
            for try await batch in requests { try await ingestion.record(batch) }
            return ingestion.response
        }
    }

    public func listDerTelemetry(_ request: ListDerTelemetryRequest, context: ServerContext) async throws -> ListDerTelemetryResponse {
        try await status { try await operations.listDerTelemetry(request) }
    }

    public func listAuditRecords(_ request: ListAuditRecordsRequest, context: ServerContext) async throws -> ListAuditRecordsResponse {
        try await status {
            try AuditTrailAccess.requireReader()
            return try await operations.listAuditRecords(request)
        }
    }

    /// Runs one call; errors become the caller's status (ServiceKit `HandlerStatus`).
    private func status<T>(_ body: () async throws -> T) async throws(RPCError) -> T {
        try await HandlerStatus.run(body)
    }
}
