import OutageAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit

extension OutageOperations {
    /// How far (in changes) a subscriber may fall behind the log's head before it is ended
    /// with RESOURCE_EXHAUSTED (it re-subscribes and gets a fresh snapshot).
    public static let maxWatchLag: Int64 = 10_000
    static let watchReadBatch = 256

    /// The snapshot (open outages and the sequence it is consistent with, read in one
    /// transaction), then every later change read back from the durable log in sequence
    /// order. The subscription is registered before the snapshot is read, so a change that
    /// commits in between is both after the snapshot's sequence and signalled: none is lost,
    /// and none repeats because each is sent only when its sequence is above the last sent.
    public func watchOutages(
        _ request: WatchOutagesRequest, send: @escaping @Sendable (WatchOutagesResponse) async throws -> Void
    ) async throws {
        try Check.known(request.commodity, "commodity")
        try Check.batch(request.premiseIDs, prefix: "PRM", "premise_ids")
        let wanted = Set(request.premiseIDs)
        let matches: @Sendable (OutageEvent) -> Bool = { outage in
            (request.commodity == .unspecified || outage.commodity == request.commodity)
                && (wanted.isEmpty || outage.affectedPremiseIDs.contains(where: wanted.contains))
        }
        let subscription = changes.subscribe()
        defer { changes.unsubscribe(subscription.id) }
        let snapshot = try await store.read { db -> (outages: [OutageEvent], sequence: Int64) in
            let sequence = try db.scalar("SELECT COALESCE(MAX(sequence), 0) FROM outage_changes", as: Int64.self) ?? 0
            let outages = try db.query("SELECT body FROM outages WHERE status IN (1, 2) ORDER BY start_ms, id").map(Tables.outages.decode)
            return (outages, sequence)
        }
        for outage in snapshot.outages where matches(outage) {
            try await send(.with {
                $0.sequence = outage.changeSequence
                $0.changeKind = .snapshot
                $0.outage = outage
                $0.changeTime = outage.updateTime
            })
        }
        try await send(.with {
            $0.sequence = snapshot.sequence
            $0.changeKind = .snapshotComplete
            $0.changeTime = clock.timestamp
        })
        var lastSent = snapshot.sequence
        for await _ in subscription.heads {
            while true {
                try Task.checkCancellation()
                if changes.head - lastSent > Self.maxWatchLag {
                    throw RPCError(code: .resourceExhausted, message: "the subscriber fell more than \(Self.maxWatchLag) changes behind; subscribe again")
                }
                let after = lastSent
                let batch = try await store.read { db in
                    try db.query(
                        "SELECT sequence, kind, change_ms, body FROM outage_changes WHERE sequence > ? ORDER BY sequence LIMIT ?",
                        after, Int64(Self.watchReadBatch))
                }
                if batch.isEmpty { break }
                for row in batch {
                    let sequence: Int64 = try row.get("sequence")
                    let outage = try Tables.outages.decode(row)
                    lastSent = sequence
                    guard matches(outage) else { continue }
                    let kind = OutageChangeKind(rawValue: try row.get("kind", as: Int32.self))
                    try await send(.with {
                        $0.sequence = sequence
                        $0.changeKind = kind
                        $0.outage = outage
                        $0.changeTime = outage.updateTime
                    })
                }
            }
        }
        try Task.checkCancellation()
    }
}
