/// Who is calling: the verified claims of the call's bearer token.
///
/// The auth interceptor binds it for the handler's task, so handlers and domain code read
/// `Caller.current`. nil means authentication is off (no public key configured): the
/// separation policy then does not apply, as before issue 11.
public struct Caller: Sendable, Hashable, CustomStringConvertible {
    /// The calling system (`sub` claim), e.g. "billing-batch".
    public let subject: String
    public let businessUnit: BusinessUnitClaim
    /// The granted scopes (`scope` claim, space-separated), e.g. ["customer.read", "finance.post"].
    public let scopes: Set<String>
    /// The token's id (`jti` claim), when it has one.
    public let tokenID: String?

    public init(subject: String, businessUnit: BusinessUnitClaim, scopes: Set<String>, tokenID: String? = nil) {
        self.subject = subject
        self.businessUnit = businessUnit
        self.scopes = scopes
        self.tokenID = tokenID
    }

    public func hasScope(_ scope: String) -> Bool { scopes.contains(scope) }

    public var description: String { "\(subject) (\(businessUnit.rawValue))" }

    /// The caller of the call the current task serves; nil when authentication is off.
    @TaskLocal public static var current: Caller?
}
