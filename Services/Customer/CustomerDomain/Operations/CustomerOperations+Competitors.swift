import CustomerAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

extension CustomerOperations {
    static let competitorFilter = FilterSchema([
        "display_name": .substring(foldedColumn: "name_folded"),
        "markets": .listContains("markets"),
    ])

    public func createCompetitorProfile(_ request: CreateCompetitorProfileRequest) async throws -> CreateCompetitorProfileResponse {
        let competitor = try CompetitorRules.forCreate(
            try required(request.competitor, "competitor"), id: ids.make(prefix: "CPT"), now: clock.timestamp())
        return try await store.idempotentWrite(request, requestID: \.requestID, method: "CreateCompetitorProfile") { tx in
            try Tables.competitors.insert(competitor.competitorID, competitor, tx)
            return .with { $0.competitor = competitor }
        }
    }

    public func getCompetitorProfile(_ request: GetCompetitorProfileRequest) async throws -> GetCompetitorProfileResponse {
        try Check.id(request.competitorID, prefix: "CPT", "competitor_id")
        let competitor = try await store.read { db in try Tables.competitors.require(request.competitorID, db) }
        return .with { $0.competitor = competitor }
    }

    public func updateCompetitorProfile(_ request: UpdateCompetitorProfileRequest) async throws -> UpdateCompetitorProfileResponse {
        let patch = try required(request.competitor, "competitor")
        try Check.id(patch.competitorID, prefix: "CPT", "competitor.competitor_id")
        try CompetitorRules.updateMask.check(request.updateMask)
        let now = clock.timestamp()
        let competitor = try await store.write { tx in
            let current = try Tables.competitors.require(patch.competitorID, tx)
            let updated = try CompetitorRules.updated(current, patch: patch, mask: request.updateMask, now: now)
            try Tables.competitors.update(updated.competitorID, updated, tx)
            return updated
        }
        return .with { $0.competitor = competitor }
    }

    public func listCompetitorProfiles(_ request: ListCompetitorProfilesRequest) async throws -> ListCompetitorProfilesResponse {
        let page = try await listPage(
            Tables.competitors, method: "ListCompetitorProfiles", fields: ["filter": request.filter],
            pageSize: request.pageSize, pageToken: request.pageToken, where: try Self.competitorFilter.conditions(for: request.filter))
        return .with {
            $0.competitors = page.items
            $0.nextPageToken = page.nextPageToken
        }
    }

    public func deleteCompetitorProfile(_ request: DeleteCompetitorProfileRequest) async throws -> DeleteCompetitorProfileResponse {
        try Check.id(request.competitorID, prefix: "CPT", "competitor_id")
        try await store.write { tx in
            guard try Tables.competitors.delete(request.competitorID, tx) else {
                throw DomainError.notFound("competitor profile", request.competitorID)
            }
        }
        return DeleteCompetitorProfileResponse()
    }
}
