import CustomerAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

extension CustomerOperations {
    static let interactionFilter = FilterSchema([
        "channel": .enumEquals("channel", InteractionChannel.self),
        "account_id": .textEquals("account_id"),
    ])

    public func createInteraction(_ request: CreateInteractionRequest) async throws -> CreateInteractionResponse {
        let interaction = try InteractionRules.forCreate(
            try required(request.interaction, "interaction"), id: ids.make(prefix: "INT"), now: clock.timestamp())
        return try await store.idempotentWrite(request, requestID: \.requestID, method: "CreateInteraction") { tx in
            _ = try Tables.customers.require(interaction.customerID, tx, referencedAs: "interaction.customer_id")
            if !interaction.accountID.isEmpty {
                let account = try Tables.accounts.require(interaction.accountID, tx, referencedAs: "interaction.account_id")
                guard account.customerID == interaction.customerID else {
                    throw DomainError.precondition(
                        "interaction.account_id '\(account.accountID)' belongs to another customer, not '\(interaction.customerID)'")
                }
            }
            try Tables.interactions.insert(interaction.interactionID, interaction, tx)
            return .with { $0.interaction = interaction }
        }
    }

    public func getInteraction(_ request: GetInteractionRequest) async throws -> GetInteractionResponse {
        try Check.id(request.interactionID, prefix: "INT", "interaction_id")
        let interaction = try await store.read { db in try Tables.interactions.require(request.interactionID, db) }
        return .with { $0.interaction = interaction }
    }

    public func listInteractions(_ request: ListInteractionsRequest) async throws -> ListInteractionsResponse {
        try await store.read(try prepareInteractionsPage(request))
    }

    /// ListInteractions' page (newest first), checked and ready to read (GetCustomerSummary reads it too).
    func prepareInteractionsPage(_ request: ListInteractionsRequest) throws -> PreparedRead<ListInteractionsResponse> {
        try Check.id(request.customerID, prefix: "CUS", "customer_id")
        var conditions = try Self.interactionFilter.conditions(for: request.filter)
        conditions.append(SQLCondition("customer_id = ?", [.text(request.customerID)]))
        conditions += try Self.timeRangeConditions(request.timeRange, column: "time_ms")
        return try preparePage(
            Tables.interactions, method: "ListInteractions",
            fields: ["customer_id": request.customerID, "filter": request.filter, "time_range": Self.describe(request.timeRange)],
            pageSize: request.pageSize, pageToken: request.pageToken, where: conditions,
            order: .by("time_ms", .integer, descending: true),
            respond: { items, token in .with { $0.interactions = items; $0.nextPageToken = token } })
    }

    /// `[start, end)` on a millisecond column; unset bounds are open.
    static func timeRangeConditions(_ range: TimeRange?, column: String) throws(DomainError) -> [SQLCondition] {
        guard let range else { return [] }
        try Check.timestamp(range.startTime, "time_range.start_time")
        try Check.timestamp(range.endTime, "time_range.end_time")
        if let start = range.startTime, let end = range.endTime, end < start {
            throw .invalid("time_range.end_time is before start_time")
        }
        var conditions: [SQLCondition] = []
        if let start = range.startTime { conditions.append(SQLCondition("\(column) >= ?", [.integer(start.milliseconds)])) }
        if let end = range.endTime { conditions.append(SQLCondition("\(column) < ?", [.integer(end.milliseconds)])) }
        return conditions
    }

    /// A time range as page-token query text (so a token is bound to the range).
    static func describe(_ range: TimeRange?) -> String {
        guard let range else { return "" }
        func text(_ time: Timestamp?) -> String { time.map { "\($0.seconds).\($0.nanos)" } ?? "" }
        return text(range.startTime) + "/" + text(range.endTime)
    }
}
