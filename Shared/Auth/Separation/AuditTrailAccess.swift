import RPCCore

/// Who may read a service's audit trail: corporate callers (when authentication is on).
public enum AuditTrailAccess {
    public static let rule = "audit.corporate-only"

    /// Throws PERMISSION_DENIED for a regulated or non-regulated caller.
    public static func requireReader(_ caller: Caller? = Caller.current) throws(RPCError) {
        guard let caller, caller.businessUnit != .corporate else { return }
        throw RPCError(
            code: .permissionDenied,
            message: "separation rule \(rule): the audit trail is readable by corporate callers only, not \(caller.businessUnit.rawValue)")
    }
}
