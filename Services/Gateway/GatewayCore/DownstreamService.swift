/// The five domain services the gateway fans out to: how sections and errors name them, and
/// the `--peer` name their addresses come under.
public enum DownstreamService: String, Sendable, Hashable, CaseIterable {
    case customer, metering, asset, outage, finance

    /// The `--peer` name, e.g. `customer`.
    public var peerName: String { rawValue }

    /// The process name people know, e.g. `customer-service`; error messages lead with it.
    public var displayName: String { "\(rawValue)-service" }

    /// The gRPC service, e.g. `quantum.customer.v1.CustomerService` (SectionStatus.service).
    public var protoServiceName: String {
        switch self {
        case .customer: "quantum.customer.v1.CustomerService"
        case .metering: "quantum.metering.v1.MeteringService"
        case .asset: "quantum.asset.v1.AssetService"
        case .outage: "quantum.outage.v1.OutageService"
        case .finance: "quantum.finance.v1.FinanceService"
        }
    }
}
