import CustomerAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

extension CustomerOperations {
    static let segmentFilter = FilterSchema(["display_name": .substring(foldedColumn: "name_folded")])

    public func createMarketSegment(_ request: CreateMarketSegmentRequest) async throws -> CreateMarketSegmentResponse {
        let validated = try SegmentRules.forCreate(
            try required(request.segment, "segment"), id: ids.make(prefix: "SEG"), now: clock.timestamp())
        return try await store.idempotentWrite(request, requestID: \.requestID, method: "CreateMarketSegment") { tx in
            var segment = validated
            segment.estimatedSize = try SegmentMembership.count(segment.criteria, tx)
            try Tables.segments.insert(segment.segmentID, segment, tx)
            return .with { $0.segment = segment }
        }
    }

    public func getMarketSegment(_ request: GetMarketSegmentRequest) async throws -> GetMarketSegmentResponse {
        try Check.id(request.segmentID, prefix: "SEG", "segment_id")
        let segment = try await store.read { db in try Tables.segments.require(request.segmentID, db) }
        return .with { $0.segment = segment }
    }

    /// Updates a segment and refreshes its estimated size.
    public func updateMarketSegment(_ request: UpdateMarketSegmentRequest) async throws -> UpdateMarketSegmentResponse {
        let patch = try required(request.segment, "segment")
        try Check.id(patch.segmentID, prefix: "SEG", "segment.segment_id")
        try SegmentRules.updateMask.check(request.updateMask)
        let now = clock.timestamp()
        let segment = try await store.write { tx in
            let current = try Tables.segments.require(patch.segmentID, tx)
            var updated = try SegmentRules.updated(current, patch: patch, mask: request.updateMask, now: now)
            updated.estimatedSize = try SegmentMembership.count(updated.criteria, tx)
            try Tables.segments.update(updated.segmentID, updated, tx)
            return updated
        }
        return .with { $0.segment = segment }
    }

    public func listMarketSegments(_ request: ListMarketSegmentsRequest) async throws -> ListMarketSegmentsResponse {
        let page = try await listPage(
            Tables.segments, method: "ListMarketSegments", fields: ["filter": request.filter],
            pageSize: request.pageSize, pageToken: request.pageToken, where: try Self.segmentFilter.conditions(for: request.filter))
        return .with {
            $0.segments = page.items
            $0.nextPageToken = page.nextPageToken
        }
    }

    /// Deletes a segment no campaign refers to.
    public func deleteMarketSegment(_ request: DeleteMarketSegmentRequest) async throws -> DeleteMarketSegmentResponse {
        try Check.id(request.segmentID, prefix: "SEG", "segment_id")
        try await store.write { tx in
            _ = try Tables.segments.require(request.segmentID, tx)
            if let campaign = try tx.queryOne("SELECT id FROM campaigns WHERE segment_id = ? LIMIT 1", request.segmentID) {
                let campaignID: String = try campaign["id"]
                throw DomainError.precondition(
                    "segment '\(request.segmentID)' is used by campaign '\(campaignID)'; delete or re-target its campaigns first")
            }
            try Tables.segments.delete(request.segmentID, tx)
        }
        return DeleteMarketSegmentResponse()
    }
}
