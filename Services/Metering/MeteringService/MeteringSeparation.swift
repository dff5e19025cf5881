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
        guard let decided = try await usageDecision(side: side, premiseID: premiseID, caller: caller), let side else { return }
        try await audit.enforce(
            decided.decision, caller: caller, data: .usageData, resourceID: resourceID, resourceKind: kind, side: side,
            customerID: decided.customerID)
    }

    /// The decision on `side`'s usage data at `premiseID` and the customer it is about (the
    /// consenting one, else the first); nil when the caller reads its own side (nothing to ask
    /// or audit).
    private func usageDecision(side: DataSide?, premiseID: String, caller: Caller) async throws -> UsageDecision? {
        var decision = SeparationPolicy.decide(caller: caller, recordSide: side, data: .usageData, consents: [])
        guard decision.isAudited, let side else { return nil }
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
                if decision.isAllowed { return (decision, customerID) }
            }
        }
        return (decision, owners.first ?? "")
    }

    /// The batch as the caller may see it: each meter point's profile decided as
    /// GetConsumptionProfile(meter_point_id) decides it — customer-service asked once per
    /// premise and side, concurrently — a denied one answered PERMISSION_DENIED with the same
    /// message and without its profile, one whose check failed with that check's status.
    /// Audited as the single calls audit each meter point, in one append for the whole batch.
    func visibleProfiles(_ response: BatchGetConsumptionProfilesResponse) async throws -> BatchGetConsumptionProfilesResponse {
        guard let caller = Caller.current else { return response }
        let questions = Set(response.meterPoints.compactMap { entry in
            entry.statusCode == 0 ? entry.meterPoint.map { UsageQuestion(premiseID: $0.premiseID, side: DataSide($0.regulatoryScope)) } : nil
        })
        let answers = await withTaskGroup(of: UsageAnswer.self) { group in
            for question in questions {
                group.addTask {
                    do {
                        return UsageAnswer(
                            question: question,
                            result: .success(try await usageDecision(side: question.side, premiseID: question.premiseID, caller: caller)))
                    } catch {
                        return UsageAnswer(question: question, result: .failure(HandlerStatus.status(for: error)))
                    }
                }
            }
            return await group.reduce(into: [UsageQuestion: Result<UsageDecision?, RPCError>]()) { $0[$1.question] = $1.result }
        }
        var visible = response
        var records: [AuditRecord] = []
        for (index, entry) in visible.meterPoints.enumerated() where entry.statusCode == 0 {
            guard let point = entry.meterPoint, let side = DataSide(point.regulatoryScope),
                  let answer = answers[UsageQuestion(premiseID: point.premiseID, side: side)] else { continue }
            switch answer {
            case .failure(let error):
                visible.meterPoints[index].withhold(error)
            case .success(let decided):
                guard let decided else { continue }
                if let record = SeparationAudit.record(
                    decided.decision, caller: caller, resourceID: point.meterPointID, resourceKind: "ConsumptionProfile", side: side,
                    customerID: decided.customerID) {
                    records.append(record)
                }
                if case .denied(let rule) = decided.decision {
                    let message = SeparationPolicy.deniedMessage(rule: rule, caller: caller, data: .usageData)
                    visible.meterPoints[index].withhold(RPCError(code: .permissionDenied, message: message))
                }
            }
        }
        if !records.isEmpty { try await audit.append(records) }
        return visible
    }
}

/// A decision on usage data and the customer it is about.
private typealias UsageDecision = (decision: SeparationDecision, customerID: String)

/// One child's answer in `visibleProfiles`: a nominal struct, not a tuple — a tuple child type
/// here crashed release builds (see `AccountOutcome` in finance-service for the story).
private struct UsageAnswer: Sendable {
    let question: UsageQuestion
    let result: Result<UsageDecision?, RPCError>
}

/// One question the batch asks customer-service: whose `side` usage data at a premise is.
private struct UsageQuestion: Hashable, Sendable {
    let premiseID: String
    let side: DataSide?
}

extension MeterPointConsumption {
    /// Drops the profile and says why.
    fileprivate mutating func withhold(_ error: RPCError) {
        profile = nil
        statusCode = Int32(error.code.rawValue)
        statusMessage = error.message
    }
}
