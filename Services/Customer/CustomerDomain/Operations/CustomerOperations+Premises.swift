import CustomerAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

extension CustomerOperations {
    static let premiseFilter = FilterSchema([
        "address.postal_code": .textEquals("postal_code"),
        "address.administrative_area": .textEquals("administrative_area"),
        "service_types": .enumInMask("service_mask", Commodity.self),
    ])

    public func createPremise(_ request: CreatePremiseRequest) async throws -> CreatePremiseResponse {
        let premise = try PremiseRules.forCreate(
            try required(request.premise, "premise"), id: ids.make(prefix: "PRM"), now: clock.timestamp())
        return try await store.idempotentWrite(request, requestID: \.requestID, method: "CreatePremise") { tx in
            try Tables.premises.insert(premise.premiseID, premise, tx)
            return .with { $0.premise = premise }
        }
    }

    public func getPremise(_ request: GetPremiseRequest) async throws -> GetPremiseResponse {
        try Check.id(request.premiseID, prefix: "PRM", "premise_id")
        let premise = try await store.read { db in try Tables.premises.require(request.premiseID, db) }
        return .with { $0.premise = premise }
    }

    public func batchGetPremises(_ request: BatchGetPremisesRequest) async throws -> BatchGetPremisesResponse {
        let (found, missing) = try await batchGet(request.premiseIDs, prefix: "PRM", field: "premise_ids", table: Tables.premises)
        return .with {
            $0.premises = found
            $0.missingIDs = missing
        }
    }

    public func updatePremise(_ request: UpdatePremiseRequest) async throws -> UpdatePremiseResponse {
        let patch = try required(request.premise, "premise")
        try Check.id(patch.premiseID, prefix: "PRM", "premise.premise_id")
        try PremiseRules.updateMask.check(request.updateMask)
        let now = clock.timestamp()
        let premise = try await store.write { tx in
            let current = try Tables.premises.require(patch.premiseID, tx)
            let updated = try PremiseRules.updated(current, patch: patch, mask: request.updateMask, now: now)
            try Tables.premises.update(updated.premiseID, updated, tx)
            return updated
        }
        return .with { $0.premise = premise }
    }

    public func listPremises(_ request: ListPremisesRequest) async throws -> ListPremisesResponse {
        try await store.read(try preparePremisesPage(request))
    }

    /// ListPremises' page, checked and ready to read (GetCustomerSummary reads it too).
    func preparePremisesPage(_ request: ListPremisesRequest) throws -> PreparedRead<ListPremisesResponse> {
        var conditions = try Self.premiseFilter.conditions(for: request.filter)
        if !request.customerID.isEmpty {
            try Check.id(request.customerID, prefix: "CUS", "customer_id")
            conditions.append(SQLCondition("id IN (SELECT premise_id FROM accounts WHERE customer_id = ?)", [.text(request.customerID)]))
        }
        return try preparePage(
            Tables.premises, method: "ListPremises", fields: ["customer_id": request.customerID, "filter": request.filter],
            pageSize: request.pageSize, pageToken: request.pageToken, where: conditions,
            respond: { items, token in .with { $0.premises = items; $0.nextPageToken = token } })
    }
}
