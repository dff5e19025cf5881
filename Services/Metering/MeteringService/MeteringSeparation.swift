import MeshAuth
import MeteringAPI
import MeteringDomain
import QuantumTypes
import RPCCore
import ServiceKit

/// The separation policy (issue 11) on metering-service's usage data: readings and consumption
/// profiles of a meter point belong to the business on its side (`regulatory_scope`); the
/// customers they are about are those with an active account of that side at the meter point's
/// premise, asked from customer-service on every call (consents are never cached).
///
/// Reading another business's usage data needs one of those customers' active consent covering
/// usage data (or a corporate caller); else PERMISSION_DENIED naming the rule. Cross-boundary
/// reads and denials are audited. Without a caller (authentication off) nothing is checked.
struct MeteringSeparation: Sendable {
    let operations: MeteringOperations
    let customers: CustomerDirectory?
    let audit: AuditTrail

    /// Checks a read of one meter point's usage data.
    func requireUsageAccess(meterPointID: String, kind: String) async throws {
        guard let caller = Caller.current else { return }
        let meterPoint = try await operations.getMeterPoint(.with { $0.meterPointID = meterPointID }).meterPoint
        guard let meterPoint else { return }
        try await requireUsageAccess(
            side: DataSide(meterPoint.regulatoryScope), premiseID: meterPoint.premiseID, resourceID: meterPointID, kind: kind, caller: caller)
    }

    /// Checks a read of every meter point's usage data at a premise (each side present there).
    func requirePremiseUsageAccess(premiseID: String, kind: String) async throws {
        guard let caller = Caller.current else { return }
        let meterPoints = try await operations.listMeterPoints(.with { $0.premiseIDs = [premiseID]; $0.pageSize = 1000 }).meterPoints
        for side in Set(meterPoints.compactMap { DataSide($0.regulatoryScope) }).sorted(by: { $0.rawValue < $1.rawValue }) {
            try await requireUsageAccess(side: side, premiseID: premiseID, resourceID: premiseID, kind: kind, caller: caller)
        }
    }

    private func requireUsageAccess(side: DataSide?, premiseID: String, resourceID: String, kind: String, caller: Caller) async throws {
        var decision = SeparationPolicy.decide(caller: caller, recordSide: side, data: .usageData, consents: [])
        guard decision.isAudited, let side else { return }
        guard let customers else {
            throw RPCError(
                code: .failedPrecondition,
                message: "the separation policy needs customer-service: start metering-service with --peer customer=host:port")
        }
        let owners = try await customers.customers(atPremise: premiseID, side: side)
        if !decision.isAllowed {
            for customerID in owners {
                let consents = try await customers.activeConsents(customerID: customerID, recipient: caller.businessUnit)
                decision = SeparationPolicy.decide(caller: caller, recordSide: side, data: .usageData, consents: consents)
                if decision.isAllowed {
                    try await audit.enforce(
                        decision, caller: caller, data: .usageData, resourceID: resourceID, resourceKind: kind, side: side, customerID: customerID)
                    return
                }
            }
        }
        try await audit.enforce(
            decision, caller: caller, data: .usageData, resourceID: resourceID, resourceKind: kind, side: side, customerID: owners.first ?? "")
    }
}
