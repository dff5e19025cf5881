/// Tunables of the fan-out, shared by the assemblers.
public struct GatewaySettings: Sendable, Hashable {
    /// Deadline propagation (margin and the default per-call timeout).
    public var deadlines: DeadlinePolicy
    /// At most this many per-item calls (per account, per meter point) run at once per request.
    public var perItemConcurrency: Int
    /// How long a customer overview's ids are remembered to make the next overview's second hop
    /// beside its summary (`OverviewKeyCache`); zero: never, every overview makes two hops.
    public var overviewKeysTimeToLive: Duration

    public init(deadlines: DeadlinePolicy = DeadlinePolicy(), perItemConcurrency: Int = 8,
                overviewKeysTimeToLive: Duration = .seconds(300)) {
        self.deadlines = deadlines
        self.perItemConcurrency = perItemConcurrency
        self.overviewKeysTimeToLive = overviewKeysTimeToLive
    }
}
