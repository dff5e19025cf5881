import ProtoRuntime
import QuantumTypes
import RPCCore

/// Turns separation decisions into audit records: who (the caller), what (record, kind, side,
/// customer), which rule, and the call (method, `x-request-id`, trace id). Only cross-boundary
/// reads and denials make a record; same-side reads make none.
public enum SeparationAudit {
    /// The audit record for one decision about one record, or nil when it is not audited.
    public static func record(
        _ decision: SeparationDecision, caller: Caller, resourceID: String, resourceKind: String,
        side: DataSide?, customerID: String
    ) -> AuditRecord? {
        var record = base(caller: caller, resourceKind: resourceKind, side: side, customerID: customerID)
        record.resourceID = resourceID
        switch decision {
        case .allowed:
            return nil
        case .allowedByConsent(let consentID, let rule):
            record.decision = .allowedByConsent
            record.consentID = consentID
            record.rule = rule
        case .allowedByCorporateRole(let rule):
            record.decision = .allowedByCorporateRole
            record.rule = rule
        case .denied(let rule):
            record.decision = .denied
            record.rule = rule
        }
        return record
    }

    /// One record for the entries a list call left out (nil when it left none out).
    /// `side`: the side whose data was left out (its rule is recorded).
    public static func filtered(count: Int, side: DataSide?, caller: Caller, resourceKind: String, customerID: String = "") -> AuditRecord? {
        guard count > 0, let side else { return nil }
        var record = base(caller: caller, resourceKind: resourceKind, side: side, customerID: customerID)
        record.decision = .filtered
        record.rule = side.rule
        record.filteredCount = Int32(clamping: count)
        return record
    }

    private static func base(caller: Caller, resourceKind: String, side: DataSide?, customerID: String) -> AuditRecord {
        let context = ServerContext.current
        return .with {
            $0.service = context?.method.service ?? ""
            $0.method = context?.method.path ?? ""
            $0.subject = caller.subject
            $0.callerBusinessUnit = caller.businessUnit.proto
            $0.resourceKind = resourceKind
            $0.dataScope = side?.proto ?? .unspecified
            $0.customerID = customerID
            $0.requestID = context?.requestMetadata.first("x-request-id") ?? ""
            $0.traceID = context.flatMap { traceID(fromTraceparent: $0.requestMetadata.first("traceparent")) } ?? ""
        }
    }

    /// The trace id of a W3C `traceparent` (`00-<32 hex trace id>-<16 hex span id>-<flags>`).
    static func traceID(fromTraceparent value: String?) -> String? {
        guard let parts = value?.split(separator: "-"), parts.count == 4, parts[1].count == 32 else { return nil }
        return String(parts[1])
    }
}

extension BusinessUnitClaim {
    /// The claim for a stored business unit (nil when unspecified).
    public init?(_ unit: BusinessUnit) {
        switch unit {
        case .regulated: self = .regulated
        case .nonRegulated: self = .nonRegulated
        case .corporate: self = .corporate
        default: return nil
        }
    }

    /// The audit trail's enum for this claim.
    public var proto: BusinessUnit {
        switch self {
        case .regulated: .regulated
        case .nonRegulated: .nonRegulated
        case .corporate: .corporate
        }
    }
}

extension DataSide {
    /// The side of a record with this regulatory scope (nil when unspecified).
    public init?(_ scope: RegulatoryScope) {
        switch scope {
        case .regulated: self = .regulated
        case .nonRegulated: self = .nonRegulated
        default: return nil
        }
    }

    public var proto: RegulatoryScope {
        switch self {
        case .regulated: .regulated
        case .nonRegulated: .nonRegulated
        }
    }
}
