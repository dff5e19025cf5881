/// Answers whether a premise exists: customer-service owns premises, so the service wires a
/// gRPC client in here when a `customer` peer is configured, and nothing otherwise.
public protocol PremiseDirectory: Sendable {
    /// True when the premise exists; throws (e.g. UNAVAILABLE) when that cannot be known.
    func premiseExists(_ premiseID: String) async throws -> Bool
}
