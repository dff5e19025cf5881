import CustomerAPI
import CustomerDomain
import MeshAuth
import QuantumTypes
import RPCCore
import ServiceKit

/// The separation policy (issue 11) applied to customer-service's answers, after the domain
/// read them and before they leave:
///
/// - customers: contact details of another business's customer are removed (`contact_withheld`);
/// - accounts, agreements and interactions of the other business: a get is PERMISSION_DENIED
///   naming the rule, a list leaves them out;
/// - the audit trail: corporate callers only.
///
/// Consents are read from the store on every call (revocation takes effect on the next one).
/// Every cross-boundary read (consent, corporate role) and every denial is written to the audit
/// trail before the answer goes out; a list's left-out entries make one FILTERED record.
/// Without a caller (authentication off) answers pass unchanged.
struct CustomerSeparation: Sendable {
    let operations: CustomerOperations
    let audit: AuditTrail

    static let contactKind = "Customer.contact"
    static let accountKind = "CustomerAccount"
    static let agreementKind = "ServiceAgreement"
    static let interactionKind = "Interaction"
    static let consentKind = "Consent"

    // MARK: Consents

    /// The recipient of a consent may not capture it (rule affiliate.consent-capture); the
    /// refusal is audited like any denial.
    func requireMayGrant(_ request: GrantConsentRequest) async throws {
        guard let caller = Caller.current, let consent = request.consent else { return }
        let recipient: BusinessUnitClaim? = switch consent.recipientBusinessUnit {
        case .regulated: .regulated
        case .nonRegulated: .nonRegulated
        default: nil  // invalid; the domain's validation answers INVALID_ARGUMENT
        }
        guard let recipient, !SeparationPolicy.mayGrantConsent(caller: caller, recipient: recipient) else { return }
        let rule = SeparationPolicy.consentCaptureRule
        let openedSide: DataSide = recipient == .regulated ? .nonRegulated : .regulated
        if let record = SeparationAudit.record(
            .denied(rule: rule), caller: caller, resourceID: consent.customerID, resourceKind: Self.consentKind,
            side: openedSide, customerID: consent.customerID) {
            try await audit.append([record])
        }
        throw RPCError(
            code: .permissionDenied,
            message: "separation rule \(rule): a \(caller.businessUnit.rawValue) caller may not record a consent for its own "
                + "business unit; the \(openedSide.rawValue) business or a corporate caller captures it")
    }

    // MARK: Customers

    func customer(_ response: GetCustomerResponse) async throws -> GetCustomerResponse {
        guard let caller = Caller.current, let customer = response.customer else { return response }
        var answer = response
        answer.customer = try await withholdContacts([customer], caller: caller, asList: false)[0]
        return answer
    }

    func customers(_ response: BatchGetCustomersResponse) async throws -> BatchGetCustomersResponse {
        guard let caller = Caller.current else { return response }
        var answer = response
        answer.customers = try await withholdContacts(response.customers, caller: caller, asList: true)
        return answer
    }

    /// A filter on contact details (`email = …`) must not reveal whose they are: customers whose
    /// contact is withheld are then left out altogether, not only their contact.
    func customers(_ response: ListCustomersResponse, filter: String) async throws -> ListCustomersResponse {
        guard let caller = Caller.current else { return response }
        var answer = response
        answer.customers = try await withholdContacts(response.customers, caller: caller, asList: true)
        if filter.contains("email") { answer.customers.removeAll(where: \.contactWithheld) }
        return answer
    }

    /// Customers stay in the answer; their contact details go when the policy says so.
    private func withholdContacts(_ customers: [Customer], caller: Caller, asList: Bool) async throws -> [Customer] {
        let sides = customers.map { customer in
            SeparationPolicy.contactSide(relationships: Set(customer.relationshipScopes.compactMap(DataSide.init)), caller: caller)
        }
        let decisions = try await decide(zip(sides, customers.map(\.customerID)).map { ($0, $1) }, data: .contactDetails, caller: caller)
        var records: [AuditRecord] = [], withheld = 0, withheldSide: DataSide?
        var answer = customers
        for index in customers.indices {
            let decision = decisions[index], customer = customers[index]
            if case .denied = decision {
                answer[index].contact = nil
                answer[index].contactWithheld = true
                withheld += 1
                withheldSide = sides[index]
                if asList { continue }
            }
            if let record = SeparationAudit.record(
                decision, caller: caller, resourceID: customer.customerID, resourceKind: Self.contactKind,
                side: sides[index], customerID: customer.customerID) {
                records.append(record)
            }
        }
        if asList, let record = SeparationAudit.filtered(count: withheld, side: withheldSide, caller: caller, resourceKind: Self.contactKind) {
            records.append(record)
        }
        try await audit.append(records)
        return answer
    }

    // MARK: Accounts

    func account(_ response: GetCustomerAccountResponse) async throws -> GetCustomerAccountResponse {
        guard let caller = Caller.current, let account = response.account else { return response }
        try await requireAllowed(
            side: DataSide(account.regulatoryScope), customerID: account.customerID, resourceID: account.accountID,
            kind: Self.accountKind, caller: caller)
        return response
    }

    func accounts(_ response: ListCustomerAccountsResponse) async throws -> ListCustomerAccountsResponse {
        guard let caller = Caller.current else { return response }
        var answer = response
        let page = try await filter(
            response.accounts, kind: Self.accountKind, caller: caller,
            describe: { (DataSide($0.regulatoryScope), $0.customerID, $0.accountID) })
        (answer.accounts, answer.withheldCount, answer.withheldRule) = (page.kept, Int32(page.withheld), page.rule)
        return answer
    }

    // MARK: Agreements

    func agreement(_ response: GetServiceAgreementResponse) async throws -> GetServiceAgreementResponse {
        guard let caller = Caller.current, let agreement = response.agreement else { return response }
        let customers = try await customerIDs(ofAccounts: [agreement.accountID])
        try await requireAllowed(
            side: DataSide(agreement.regulatoryScope), customerID: customers[agreement.accountID] ?? "",
            resourceID: agreement.agreementID, kind: Self.agreementKind, caller: caller)
        return response
    }

    func agreements(_ response: ListServiceAgreementsResponse) async throws -> ListServiceAgreementsResponse {
        guard let caller = Caller.current else { return response }
        let customers = try await customerIDs(ofAccounts: Set(response.agreements.map(\.accountID)))
        var answer = response
        let page = try await filter(
            response.agreements, kind: Self.agreementKind, caller: caller,
            describe: { (DataSide($0.regulatoryScope), customers[$0.accountID] ?? "", $0.agreementID) })
        (answer.agreements, answer.withheldCount, answer.withheldRule) = (page.kept, Int32(page.withheld), page.rule)
        return answer
    }

    private func customerIDs(ofAccounts ids: Set<String>) async throws -> [String: String] {
        try await operations.accounts(ids: ids).mapValues(\.customerID)
    }

    // MARK: Interactions

    /// An interaction belongs to the business unit that handled it (a corporate or unknown
    /// handler: to neither side).
    private static func side(of interaction: Interaction) -> DataSide? {
        switch interaction.businessUnit {
        case .regulated: .regulated
        case .nonRegulated: .nonRegulated
        default: nil
        }
    }

    func interaction(_ response: GetInteractionResponse) async throws -> GetInteractionResponse {
        guard let caller = Caller.current, let interaction = response.interaction else { return response }
        try await requireAllowed(
            side: Self.side(of: interaction), customerID: interaction.customerID, resourceID: interaction.interactionID,
            kind: Self.interactionKind, caller: caller, data: .interactions)
        return response
    }

    func interactions(_ response: ListInteractionsResponse) async throws -> ListInteractionsResponse {
        guard let caller = Caller.current else { return response }
        var answer = response
        let page = try await filter(
            response.interactions, kind: Self.interactionKind, caller: caller, data: .interactions,
            describe: { (Self.side(of: $0), $0.customerID, $0.interactionID) })
        (answer.interactions, answer.withheldCount, answer.withheldRule) = (page.kept, Int32(page.withheld), page.rule)
        return answer
    }

    // MARK: Summaries

    /// GetCustomerSummary: every part as its own call's answer would be (withheld contact
    /// details, lists without the other business's records and with their withheld counts),
    /// audited in the order the separate calls would audit it. Premises carry no scope.
    func summary(_ response: GetCustomerSummaryResponse) async throws -> GetCustomerSummaryResponse {
        guard Caller.current != nil else { return response }
        var answer = response
        answer.customer = try await customer(.with { $0.customer = response.customer }).customer
        if let accounts = response.accounts { answer.accounts = try await self.accounts(accounts) }
        if let agreements = response.agreements { answer.agreements = try await self.agreements(agreements) }
        if let interactions = response.recentInteractions { answer.recentInteractions = try await self.interactions(interactions) }
        return answer
    }

    // MARK: Shared steps

    /// A single record: allowed (audited when cross-boundary) or PERMISSION_DENIED (audited).
    private func requireAllowed(
        side: DataSide?, customerID: String, resourceID: String, kind: String, caller: Caller, data: SeparatedData = .accountAndBilling
    ) async throws {
        let decision = try await decide([(side, customerID)], data: data, caller: caller)[0]
        try await audit.enforce(decision, caller: caller, data: data, resourceID: resourceID, resourceKind: kind, side: side, customerID: customerID)
    }

    /// A list: denied entries are left out (one FILTERED record), allowed cross-boundary ones
    /// audited. Returns what is kept, how many were left out and under which rule, so the
    /// response can say so (the gateway marks its section with them).
    private func filter<Item>(
        _ items: [Item], kind: String, caller: Caller, data: SeparatedData = .accountAndBilling,
        describe: (Item) -> (side: DataSide?, customerID: String, id: String)
    ) async throws -> (kept: [Item], withheld: Int, rule: String) {
        let described = items.map(describe)
        let decisions = try await decide(described.map { ($0.side, $0.customerID) }, data: data, caller: caller)
        var kept: [Item] = [], records: [AuditRecord] = [], left = 0, leftSide: DataSide?, leftRule = ""
        for (index, item) in items.enumerated() {
            if case .denied(let rule) = decisions[index] {
                left += 1
                leftSide = described[index].side
                leftRule = rule
                continue
            }
            kept.append(item)
            let (side, customerID, id) = described[index]
            if let record = SeparationAudit.record(decisions[index], caller: caller, resourceID: id, resourceKind: kind, side: side, customerID: customerID) {
                records.append(record)
            }
        }
        if let record = SeparationAudit.filtered(count: left, side: leftSide, caller: caller, resourceKind: kind) {
            records.append(record)
        }
        try await audit.append(records)
        return (kept, left, leftRule)
    }

    /// The policy's decision for each (side, customer), reading consents only for customers
    /// whose data would otherwise be refused.
    private func decide(_ subjects: [(side: DataSide?, customerID: String)], data: SeparatedData, caller: Caller) async throws -> [SeparationDecision] {
        let withoutConsent = subjects.map { SeparationPolicy.decide(caller: caller, recordSide: $0.side, data: data, consents: []) }
        let needConsent = Set(zip(subjects, withoutConsent).compactMap { subject, decision in decision.isAllowed ? nil : subject.customerID })
        guard !needConsent.isEmpty else { return withoutConsent }
        let consents = try await operations.activeConsents(customerIDs: needConsent, recipient: caller.businessUnit.proto)
        return subjects.map { subject in
            SeparationPolicy.decide(
                caller: caller, recordSide: subject.side, data: data,
                consents: (consents[subject.customerID] ?? []).compactMap(ConsentGrant.init))
        }
    }
}
