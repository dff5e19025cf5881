import RPCCore
import ServiceKit

extension AuditTrail {
    /// Carries out a decision about one record a get returns: audits it when it is
    /// cross-boundary or a denial, then throws PERMISSION_DENIED (naming the rule, not the
    /// data) when it is a denial.
    public func enforce(
        _ decision: SeparationDecision, caller: Caller, data: SeparatedData, resourceID: String, resourceKind: String,
        side: DataSide?, customerID: String
    ) async throws {
        if let record = SeparationAudit.record(
            decision, caller: caller, resourceID: resourceID, resourceKind: resourceKind, side: side, customerID: customerID) {
            try await append([record])
        }
        if case .denied(let rule) = decision {
            throw RPCError(code: .permissionDenied, message: SeparationPolicy.deniedMessage(rule: rule, caller: caller, data: data))
        }
    }
}
