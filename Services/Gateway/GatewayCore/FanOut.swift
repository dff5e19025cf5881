/// One gateway request's view of the mesh: the clients, the request's downstream call context
/// (deadline and forwarded metadata) and the tunables. Each operation's assembly is an
/// extension of it in its own file (CustomerOverview.swift, PremiseOverview.swift, …).
public struct FanOut: Sendable {
    public let clients: GatewayClients
    public let call: DownstreamCall
    public let settings: GatewaySettings
    /// The ids earlier customer overviews saw, shared by all requests; nil: every overview makes
    /// its second hop after the summary.
    public let overviewKeys: OverviewKeyCache?

    public init(clients: GatewayClients, call: DownstreamCall, settings: GatewaySettings = GatewaySettings(),
                overviewKeys: OverviewKeyCache? = nil) {
        self.clients = clients
        self.call = call
        self.settings = settings
        self.overviewKeys = overviewKeys
    }
}
