/// One gateway request's view of the mesh: the clients, the request's downstream call context
/// (deadline and forwarded metadata) and the tunables. Each operation's assembly is an
/// extension of it in its own file (CustomerOverview.swift, PremiseOverview.swift, …).
public struct FanOut: Sendable {
    public let clients: GatewayClients
    public let call: DownstreamCall
    public let settings: GatewaySettings

    public init(clients: GatewayClients, call: DownstreamCall, settings: GatewaySettings = GatewaySettings()) {
        self.clients = clients
        self.call = call
        self.settings = settings
    }
}
