/// Tunables of the fan-out, shared by the assemblers.
public struct GatewaySettings: Sendable, Hashable {
    /// Deadline propagation (margin and the default per-call timeout).
    public var deadlines: DeadlinePolicy
    /// At most this many per-item calls (per account, per meter point) run at once per request.
    public var perItemConcurrency: Int

    public init(deadlines: DeadlinePolicy = DeadlinePolicy(), perItemConcurrency: Int = 8) {
        self.deadlines = deadlines
        self.perItemConcurrency = perItemConcurrency
    }
}
