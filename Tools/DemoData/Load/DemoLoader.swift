/// Sends a ``DemoPlan`` to a running mesh, phase by phase (each phase needs the ids of the ones
/// before it), with up to `concurrency` calls in flight within a phase. Every create carries a
/// request_id derived from the plan, so a second run with the same parameters changes nothing.
public struct DemoLoader: Sendable {
    let plan: DemoPlan
    let clients: MeshClients
    let progress: ProgressReporter
    let concurrency: Int

    public init(plan: DemoPlan, clients: MeshClients, progress: ProgressReporter, concurrency: Int) {
        self.plan = plan
        self.clients = clients
        self.progress = progress
        self.concurrency = max(1, concurrency)
    }

    /// The ids the services assigned, by plan index.
    struct IDs: Sendable {
        var tariffs: [String] = []
        var products: [String] = []
        var assets: [String] = []
        var customers: [String] = []
        var premises: [String] = []
        var accounts: [String] = []
        var agreements: [String] = []
        var consents: [String] = []
        var meterPoints: [String] = []
        var crews: [String] = []
        var outages: [String] = []
        var workOrders: [String] = []
        var bills: [String] = []
        var transactions: [String] = []
        var readings = 0
    }

    public func load() async throws -> SeedSummary {
        var ids = IDs()
        ids.tariffs = try await phase("tariffs", plan.tariffs.count) { try await createTariff($0) }
        ids.products = try await phase("products", plan.products.count) { [ids] in try await createProduct($0, ids) }
        // Network assets first (premises name their service point); meters and devices need premises.
        let network = plan.assets.indices.filter { plan.assets[$0].premise == nil }
        let atPremises = plan.assets.indices.filter { plan.assets[$0].premise != nil }
        ids.assets = [String](repeating: "", count: plan.assets.count)
        let networkIDs = try await phase("network assets", network.count) { try await createAsset(network[$0], IDs()) }
        for (index, id) in zip(network, networkIDs) { ids.assets[index] = id }
        ids.customers = try await phase("customers", plan.customers.count) { try await createCustomer($0) }
        ids.premises = try await phase("premises", plan.premises.count) { [ids] in try await createPremise($0, ids) }
        ids.accounts = try await phase("accounts", plan.accounts.count) { [ids] in try await createAccount($0, ids) }
        ids.agreements = try await phase("agreements", plan.agreements.count) { [ids] in try await createAgreement($0, ids) }
        ids.consents = try await phase("consents", plan.consents.count) { [ids] in try await grantConsent($0, ids) }
        let premiseAssetIDs = try await phase("premise assets", atPremises.count) { [ids] in try await createAsset(atPremises[$0], ids) }
        for (index, id) in zip(atPremises, premiseAssetIDs) { ids.assets[index] = id }
        _ = try await phase("topology", plan.assets.count) { [ids] in try await setParent($0, ids) }
        ids.meterPoints = try await phase("meter points", plan.meterPoints.count) { [ids] in try await createMeterPoint($0, ids) }
        ids.readings = try await ingestReadings(ids)
        ids.crews = try await phase("crews", plan.crews.count) { try await registerCrew($0) }
        ids.outages = try await phase("outages", plan.outages.count, limit: 1) { [ids] in try await createOutage($0, ids) }
        ids.workOrders = try await phase("work orders", plan.workOrders.count, limit: 1) { [ids] in try await createWorkOrder($0, ids) }
        ids.bills = try await phase("bills", plan.bills.count) { [ids] in try await issueBill($0, ids) }
        ids.transactions = try await phase("transactions", plan.transactions.count) { [ids] in try await postTransaction($0, ids) }
        return SeedSummary(plan: plan, ids: ids)
    }

    /// Runs one phase over `count` items with progress; a failure becomes a ``LoadError`` naming the phase.
    func phase<Value: Sendable>(
        _ name: String, _ count: Int, limit: Int? = nil, _ body: @escaping @Sendable (Int) async throws -> Value
    ) async throws -> [Value] {
        progress.begin(name, total: count)
        do {
            let progress = self.progress
            let values = try await concurrentMap(count, limit: limit ?? concurrency) { index in
                let value = try await body(index)
                progress.advance()
                return value
            }
            progress.end()
            return values
        } catch {
            throw LoadError(phase: name, error)
        }
    }

    /// The request_id of the `index`-th create of `kind`.
    func requestID(_ kind: String, _ index: Int) -> String { "\(plan.parameters.requestTag)-\(kind)-\(index)" }
}
