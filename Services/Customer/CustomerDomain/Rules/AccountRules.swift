import CustomerAPI
import ProtoRuntime
import QuantumTypes

/// What an account must look like, and its lifecycle.
public enum AccountRules {
    public static func validate(_ account: CustomerAccount) throws(DomainError) {
        try Check.id(account.customerID, prefix: "CUS", "account.customer_id")
        try Check.id(account.premiseID, prefix: "PRM", "account.premise_id")
        try Check.specified(account.regulatoryScope, "account.regulatory_scope")
        try Check.known(account.status, "account.status")
        try Check.text(account.displayName, "account.display_name", max: Check.maxNameLength)
        guard account.currencyCode.isEmpty || ContactFormats.isValidCurrencyCode(account.currencyCode) else {
            throw .invalid("account.currency_code '\(account.currencyCode)' is not an ISO-4217 code such as USD")
        }
        try Check.address(account.billingAddress, "account.billing_address", required: false)
    }

    /// The account to store for a create: opened now, ACTIVE unless PENDING was asked for.
    /// (The customer and premise are checked against the store by the caller.)
    public static func forCreate(_ requested: CustomerAccount, id: String, now: Timestamp) throws(DomainError) -> CustomerAccount {
        var account = requested
        account.accountID = id
        switch account.status {
        case .unspecified: account.status = .active
        case .active, .pending: break
        default:
            throw .invalid("account.status must be ACTIVE or PENDING on create, not \(EnumNames.describe(account.status))")
        }
        account.openTime = now
        account.closeTime = nil
        account.closeReason = ""
        account.updateTime = now
        try validate(account)
        return account
    }

    public static func updated(
        _ current: CustomerAccount, patch: CustomerAccount, mask: FieldMask?, now: Timestamp
    ) throws(DomainError) -> CustomerAccount {
        var account = try updateMask.apply(mask, from: patch, to: current)
        account.updateTime = now
        try validate(account)
        return account
    }

    /// Closes an account; a closed one is returned unchanged (closing is idempotent).
    public static func closed(_ account: CustomerAccount, reason: String, at closeTime: Timestamp?, now: Timestamp) throws(DomainError)
        -> CustomerAccount
    {
        guard account.status != .closed else { return account }
        try Check.text(reason, "reason", max: Check.maxNameLength)
        try Check.timestamp(closeTime, "close_time")
        let closeTime = closeTime ?? now
        if let openTime = account.openTime, closeTime < openTime {
            throw .invalid("close_time is before the account was opened")
        }
        var account = account
        account.status = .closed
        account.closeTime = closeTime
        account.closeReason = reason
        account.updateTime = now
        return account
    }

    /// Whether an account may take a new agreement: not CLOSED and not SUSPENDED.
    public static func requireOpenForAgreements(_ account: CustomerAccount) throws(DomainError) {
        switch account.status {
        case .closed: throw .precondition("account '\(account.accountID)' is closed and takes no new agreements")
        case .suspended: throw .precondition("account '\(account.accountID)' is suspended and takes no new agreements")
        default: break
        }
    }

    public static let updateMask = FieldMaskPolicy<CustomerAccount>(
        resourceName: "CustomerAccount",
        updatable: [
            "display_name": { $0.displayName = $1.displayName },
            "billing_address": { $0.billingAddress = $1.billingAddress },
            "currency_code": { $0.currencyCode = $1.currencyCode },
        ],
        outputOnly: ["account_id", "open_time", "close_time", "close_reason", "update_time"],
        immutable: [
            "customer_id": "open a new account for another customer",
            "premise_id": "open a new account at the other premise",
            "regulatory_scope": "the account type is fixed when the account is opened",
            "status": "use CloseCustomerAccount",
        ])
}
