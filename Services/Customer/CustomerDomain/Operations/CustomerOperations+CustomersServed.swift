import CustomerAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

extension CustomerOperations {
    /// IEEE 1366 NT: accounts in service at `as_of_time` whose premise takes the commodity.
    /// "In service" = opened by then, not closed by then, and ACTIVE (or CLOSED later, i.e.
    /// active until its close). PENDING and SUSPENDED accounts are not served. Status history is
    /// not kept, so an account suspended in the past and active now counts as active then.
    public func countCustomersServed(_ request: CountCustomersServedRequest) async throws -> CountCustomersServedResponse {
        let commodity = request.commodity == .unspecified ? Commodity.electric : request.commodity
        try Check.known(commodity, "commodity")
        try Check.timestamp(request.asOfTime, "as_of_time")
        let asOf = request.asOfTime ?? clock.timestamp()
        let rows = try await store.read { db in
            try db.query(
                """
                SELECT a.regulatory_scope, COUNT(*) FROM accounts a JOIN premises p ON p.id = a.premise_id
                WHERE (p.service_mask & ?) != 0 AND a.open_ms <= ? AND (a.close_ms IS NULL OR a.close_ms > ?)
                  AND a.status IN (?, ?)
                GROUP BY a.regulatory_scope
                """,
                ColumnEncoding.bitmask([commodity]), asOf.milliseconds, asOf.milliseconds,
                Int64(AccountStatus.active.rawValue), Int64(AccountStatus.closed.rawValue)
            ).map { (RegulatoryScope(rawValue: Int32(try $0.get(0, as: Int64.self))), try $0.get(1, as: Int64.self)) }
        }
        let counts = Dictionary(rows, uniquingKeysWith: +)
        return .with {
            $0.regulatedCount = counts[.regulated] ?? 0
            $0.nonRegulatedCount = counts[.nonRegulated] ?? 0
            $0.customersServed = counts.values.reduce(0, +)
            $0.asOfTime = asOf
            $0.commodity = commodity
        }
    }
}
