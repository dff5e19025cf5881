import GatewayAPI
import OutageAPI
import QuantumTypes

/// The customer overview's second hop for one set of ids: one BatchGetAccountActivity, one
/// BatchGetConsumptionProfiles and one ListOutages, side by side.
struct OverviewLookups: Sendable {
    let keys: OverviewKeys
    var activity: AccountActivityLookup.Answer
    var meterPoints: Section<[MeterPointView]>
    var outages: Section<[OutageEvent]>

    /// The lookups of this (guessed) second hop that stand for the same lookups made for
    /// `fresh`: those made for ids covering the fresh ones — the assembly only reads the
    /// entries it needs — and that answered, or were made for exactly the fresh ids (a failure
    /// a new call would repeat). Nil where the lookup has to be made again.
    func kept(for fresh: OverviewKeys) -> Kept {
        func keep(_ guessed: [String], _ needed: [String], answered: Bool) -> Bool {
            guessed.covers(needed) && (answered || needed.covers(guessed))
        }
        return Kept(
            activity: keep(keys.accountIDs, fresh.accountIDs, answered: activity.answered) ? activity : nil,
            meterPoints: keep(keys.premiseIDs, fresh.premiseIDs, answered: meterPoints.value != nil) ? meterPoints : nil,
            outages: keep(keys.premiseIDs, fresh.premiseIDs, answered: outages.value != nil) ? outages : nil)
    }

    struct Kept: Sendable {
        /// Every lookup kept: nothing is made after the summary.
        var isComplete: Bool { activity != nil && meterPoints != nil && outages != nil }

        var activity: AccountActivityLookup.Answer?
        var meterPoints: Section<[MeterPointView]>?
        var outages: Section<[OutageEvent]>?
    }
}

extension FanOut {
    /// The second hop for `keys`; lookups `kept` from a guessed second hop are not made again.
    func overviewLookups(
        _ keys: OverviewKeys, options: CustomerOverviewOptions, window: TimeRange, kept: OverviewLookups.Kept? = nil
    ) async -> OverviewLookups {
        // Started in this order because the calls are sent in it: the consumption profiles,
        // usually the slowest of the three, go out first.
        async let meterPoints = orMake(kept?.meterPoints) {
            await ConsumptionLookup(clients: clients, call: call).meterPoints(premiseIDs: keys.premiseIDs, window: window, bucketSize: options.bucketSize)
        }
        async let activity = orMake(kept?.activity) {
            await AccountActivityLookup(clients: clients, call: call).activity(accountIDs: keys.accountIDs, transactionLimit: options.transactionLimit)
        }
        async let outages = orMake(kept?.outages) { await openOutagesAffecting(premiseIDs: keys.premiseIDs) }
        return await OverviewLookups(keys: keys, activity: activity, meterPoints: meterPoints, outages: outages)
    }

    /// The open outages affecting any of the premises, each once. ListOutages takes at most
    /// 1,000 premise ids, so a customer with more premises is asked for in chunks (one after
    /// another: it is rare, and it keeps the mesh's load per overview bounded).
    private func openOutagesAffecting(premiseIDs: [String]) async -> Section<[OutageEvent]> {
        guard !premiseIDs.isEmpty else { return Section(value: [], status: SectionStatuses.ok(.outage)) }
        return await call.section(.outage) { options in
            let outages = try await Paging.all(chunking: premiseIDs) { chunk, token in
                let page = try await clients.outage.listOutages(
                    .with {
                        $0.openOnly = true
                        $0.premiseIDs = chunk
                        $0.pageSize = 1000
                        $0.pageToken = token
                    }, options: options)
                return (page.outages, page.nextPageToken)
            }
            // An outage at premises in two chunks is listed by both.
            var seen = Set<String>()
            return outages.filter { seen.insert($0.outageID).inserted }
        }
    }

    private func orMake<Value: Sendable>(_ kept: Value?, _ make: () async -> Value) async -> Value {
        if let kept { return kept }
        return await make()
    }
}
