// gateway: serves quantum.gateway.v1.GatewayService (issue 9) by fanning out to the five domain
// services, with gRPC health and reflection, /metrics, /healthz and /readyz on the admin port.
// Defaults: --port 50060, --admin-port 9460; no store of its own.
// Peers (required, repeatable for replicas, used round robin): --peer customer=h:p --peer metering=h:p
// --peer asset=h:p --peer outage=h:p --peer finance=h:p (or QE_PEERS).
// Authentication: --auth-public-key (QE_AUTH_PUBLIC_KEY), as every service.
// JSON front: GET /v1/customers/{id}/overview and the other /v1/ routes on the admin port
// (GatewayHTTP/JSONRoutes.swift); --disable-json-front turns it off.
// SIGTERM / SIGINT: NOT_SERVING, GOAWAY, drain in-flight calls, exit 0.
import ArgumentParser
import GatewayAPI
import GatewayCore
import GatewayHTTP
import GatewayService
import Logging
import MeshAuth
import ServiceKit
import Transport

struct GatewayCommand: AsyncParsableCommand {
    static let defaults = ServiceDefaults(serviceName: "gateway", port: 50060, adminPort: 9460)

    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Serves quantum.gateway.v1.GatewayService: cross-domain views assembled from customer, metering, "
            + "asset, outage and finance services.",
        discussion: "Defaults: --port \(defaults.port), --admin-port \(defaults.adminPort). Needs --peer NAME=host:port for "
            + DownstreamService.allCases.map(\.peerName).joined(separator: ", ") + " (repeat a name for replicas).")

    @OptionGroup var options: ServiceOptions
    @OptionGroup var auth: AuthOptions

    @Option(help: ArgumentHelp("Seconds each downstream call may take when the caller set no deadline (default 5).", valueName: "seconds"))
    var downstreamTimeout: Double = 5

    @Option(help: ArgumentHelp(
        "Most seconds downstream calls end before the caller's deadline, to answer in time with a partial result; "
            + "the margin is 10% of the caller's time up to this (default 0.05).", valueName: "seconds"))
    var deadlineMargin: Double = 0.05

    @Option(help: ArgumentHelp(
        "Seconds a customer overview's account, premise and product ids are remembered, so the next overview for the "
            + "same caller and customer makes its second hop beside the summary (one hop instead of two; the summary still "
            + "decides the answer); 0 turns it off (default 300).", valueName: "seconds"))
    var overviewKeysTtl: Double = 300

    @Flag(inversion: .prefixedEnableDisable, help: ArgumentHelp(
        "The HTTP/1.1 JSON front on the admin port (GET /v1/customers/{id}/overview and the other /v1/ routes; the same "
            + "tokens and checks as gRPC; default enabled)."))
    var jsonFront = true

    func run() async throws {
        guard downstreamTimeout > 0, downstreamTimeout <= 600 else {
            throw ValidationError("--downstream-timeout must be between 0 and 600 seconds")
        }
        guard deadlineMargin >= 0, deadlineMargin <= 10 else {
            throw ValidationError("--deadline-margin must be between 0 and 10 seconds")
        }
        guard overviewKeysTtl >= 0, overviewKeysTtl <= 86_400 else {
            throw ValidationError("--overview-keys-ttl must be between 0 and 86400 seconds")
        }
        // The gateway checks tokens and scopes itself (gateway.read / gateway.write) and forwards
        // the caller's `authorization` downstream, where each service applies the separation policy.
        let startup = try ServiceStartup(process: "gateway", options: options, auth: auth, defaults: Self.defaults)
        let clients = try GatewayClients(endpoints: try Self.downstreamEndpoints(startup.configuration.peerGroups))
        defer { clients.close() }
        let deadlines = DeadlinePolicy(
            maxMargin: .milliseconds(Int64(deadlineMargin * 1000)), defaultTimeout: .milliseconds(Int64(downstreamTimeout * 1000)))
        try await startup.run(
            services: [GatewayServiceImpl(clients: clients, settings: GatewaySettings(
                deadlines: deadlines, overviewKeysTimeToLive: .milliseconds(Int64(overviewKeysTtl * 1000))))],
            descriptors: GatewayAPIDescriptors.filesWithDependencies, store: nil,
            adminAPI: jsonFront ? JSONFront(grpcHost: startup.configuration.host) : nil)
    }

    /// Each downstream's endpoints from the peers; a missing one stops the start with its name.
    static func downstreamEndpoints(_ peers: [String: [PeerAddress]]) throws -> [DownstreamService: [Endpoint]] {
        var endpoints: [DownstreamService: [Endpoint]] = [:]
        for service in DownstreamService.allCases {
            guard let addresses = peers[service.peerName], !addresses.isEmpty else {
                throw ValidationError(
                    "missing peer '\(service.peerName)': start the gateway with --peer \(service.peerName)=host:port "
                        + "(or QE_PEERS) for \(service.displayName)")
            }
            endpoints[service] = addresses.map { Endpoint(host: $0.host, port: $0.port) }
        }
        return endpoints
    }
}

// Top-level code (this file is main.swift): parse and run the async command by hand.
do {
    let command = try GatewayCommand.parse()
    try await command.run()
} catch {
    GatewayCommand.exit(withError: error)
}
