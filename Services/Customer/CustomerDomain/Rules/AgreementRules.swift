import CustomerAPI
import ProtoRuntime
import QuantumTypes

/// What a service agreement must look like, what it may be made for, and its lifecycle.
public enum AgreementRules {
    public static func validate(_ agreement: ServiceAgreement) throws(DomainError) {
        try Check.id(agreement.accountID, prefix: "ACC", "agreement.account_id")
        try Check.id(agreement.productID, prefix: "PRD", "agreement.product_id")
        guard let start = agreement.startDate else { throw .invalid("agreement.start_date is required") }
        try Check.date(start, "agreement.start_date")
        try Check.date(agreement.endDate, "agreement.end_date")
        if let end = agreement.endDate, end.ordinal < start.ordinal {
            throw .invalid("agreement.end_date \(end.text) is before start_date \(start.text)")
        }
        try Check.text(agreement.terms, "agreement.terms")
    }

    /// The account and product an agreement joins must fit together: the account open for
    /// agreements, the product sellable, and the product's regulatory scope the account's type.
    public static func checkFit(account: CustomerAccount, product: Product) throws(DomainError) {
        try AccountRules.requireOpenForAgreements(account)
        guard product.status != .retired else {
            throw .precondition("product '\(product.productID)' is retired and takes no new agreements")
        }
        guard product.regulatoryScope == account.regulatoryScope else {
            throw .precondition(
                "product '\(product.productID)' is \(EnumNames.describe(product.regulatoryScope)) but account "
                    + "'\(account.accountID)' is \(EnumNames.describe(account.regulatoryScope)); the scopes must match")
        }
    }

    /// The agreement to store: scope copied from the product, PENDING when it starts after today.
    public static func forCreate(
        _ requested: ServiceAgreement, id: String, product: Product, now: Timestamp, today: CalendarDate
    ) throws(DomainError) -> ServiceAgreement {
        var agreement = requested
        agreement.agreementID = id
        try validate(agreement)
        agreement.regulatoryScope = product.regulatoryScope
        agreement.status = (agreement.startDate?.ordinal ?? 0) > today.ordinal ? .pending : .active
        agreement.terminateTime = nil
        agreement.terminationReason = ""
        agreement.createTime = now
        agreement.updateTime = now
        return agreement
    }

    public static func updated(
        _ current: ServiceAgreement, patch: ServiceAgreement, mask: FieldMask?, now: Timestamp
    ) throws(DomainError) -> ServiceAgreement {
        guard !isEnded(current) else {
            throw .precondition("agreement '\(current.agreementID)' is \(EnumNames.describe(current.status)) and cannot change")
        }
        var agreement = try updateMask.apply(mask, from: patch, to: current)
        agreement.updateTime = now
        try validate(agreement)
        return agreement
    }

    /// Ends an agreement early; TERMINATED or EXPIRED ones are FAILED_PRECONDITION.
    public static func terminated(
        _ agreement: ServiceAgreement, reason: String, endDate: CalendarDate?, now: Timestamp, today: CalendarDate
    ) throws(DomainError) -> ServiceAgreement {
        guard !isEnded(agreement) else {
            throw .precondition("agreement '\(agreement.agreementID)' is already \(EnumNames.describe(agreement.status))")
        }
        try Check.date(endDate, "end_date")
        try Check.text(reason, "reason", max: Check.maxNameLength)
        var agreement = agreement
        let end = endDate ?? today
        if let start = agreement.startDate, end.ordinal < start.ordinal {
            throw .invalid("end_date \(end.text) is before the agreement's start_date \(start.text)")
        }
        agreement.endDate = end
        agreement.status = .terminated
        agreement.terminateTime = now
        agreement.terminationReason = reason
        agreement.updateTime = now
        return agreement
    }

    static func isEnded(_ agreement: ServiceAgreement) -> Bool {
        agreement.status == .terminated || agreement.status == .expired
    }

    public static let updateMask = FieldMaskPolicy<ServiceAgreement>(
        resourceName: "ServiceAgreement",
        updatable: [
            "terms": { $0.terms = $1.terms },
            "end_date": { $0.endDate = $1.endDate },
        ],
        outputOnly: ["agreement_id", "status", "regulatory_scope", "terminate_time", "termination_reason", "create_time", "update_time"],
        immutable: [
            "account_id": "make a new agreement on the other account",
            "product_id": "make a new agreement for the other product",
            "start_date": "make a new agreement",
        ])
}
