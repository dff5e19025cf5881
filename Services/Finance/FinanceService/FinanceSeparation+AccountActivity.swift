import FinanceAPI
import MeshAuth
import QuantumTypes
import RPCCore
import ServiceKit

extension FinanceSeparation {
    /// The batch as the caller may see it: each account decided as GetBalance decides it, a
    /// denied one answered PERMISSION_DENIED with GetBalance's message
    /// and without its data, one whose check failed (e.g. customer-service unreachable) with
    /// that check's status. Audited as GetBalance and ListTransactions audit each account, in
    /// one append for the whole batch.
    func visibleActivities(_ response: BatchGetAccountActivityResponse) async throws -> BatchGetAccountActivityResponse {
        guard let caller = Caller.current else { return response }
        let outcomes = await decisions(for: response.activities.map(\.accountID), caller: caller)
        var visible = response
        var records: [AuditRecord] = []
        for (index, outcome) in outcomes.enumerated() {
            let accountID = visible.activities[index].accountID
            switch outcome {
            case .failure(let error):
                visible.activities[index] = Self.withheld(accountID, error)
            case .success(let (decision, side, customerID)):
                let audit = { (kind: String) in
                    SeparationAudit.record(decision, caller: caller, resourceID: accountID, resourceKind: kind, side: side, customerID: customerID)
                }
                if let record = audit("Balance") { records.append(record) }
                if case .denied(let rule) = decision {
                    let message = SeparationPolicy.deniedMessage(rule: rule, caller: caller, data: .accountAndBilling)
                    visible.activities[index] = Self.withheld(accountID, RPCError(code: .permissionDenied, message: message))
                } else if !visible.activities[index].recentTransactions.isEmpty, let record = audit("FinancialTransaction") {
                    records.append(record)
                }
            }
        }
        if !records.isEmpty { try await audit.append(records) }
        return visible
    }

    /// Each account's decision (or why it could not be made), in `accountIDs` order; the
    /// accounts concurrently.
    private func decisions(
        for accountIDs: [String], caller: Caller
    ) async -> [Result<(SeparationDecision, DataSide?, String), RPCError>] {
        await withTaskGroup(of: AccountOutcome.self) { group in
            for (index, accountID) in accountIDs.enumerated() {
                group.addTask {
                    do {
                        return AccountOutcome(index: index, result: .success(try await decide(accountID: accountID, recordSide: nil, caller: caller)))
                    } catch {
                        return AccountOutcome(index: index, result: .failure(HandlerStatus.status(for: error)))
                    }
                }
            }
            var outcomes = [Result<(SeparationDecision, DataSide?, String), RPCError>?](repeating: nil, count: accountIDs.count)
            for await outcome in group { outcomes[outcome.index] = outcome.result }
            return outcomes.compactMap { $0 }
        }
    }

    /// An account's entry carrying only its id and why its data is not there.
    private static func withheld(_ accountID: String, _ error: RPCError) -> AccountActivity {
        .with {
            $0.accountID = accountID
            $0.statusCode = Int32(error.code.rawValue)
            $0.statusMessage = error.message
        }
    }
}

/// One child's answer in `decisions`: a nominal struct, not a tuple, on purpose. With the tuple
/// `(Int, Result<(SeparationDecision, DataSide?, String), RPCError>)` as the task group's child
/// type, release builds crashed within ~20 authenticated overviews (the index arrived as
/// garbage; metering's equivalent crashed the same way), while debug and AddressSanitizer
/// builds never did: the runtime copies a tuple result with generically instantiated value
/// witnesses, and for this layout they disagreed with the optimized code. A struct's witnesses
/// are the compiler's own. `scripts/release-smoke` reproduces the crash with the tuple.
private struct AccountOutcome: Sendable {
    let index: Int
    let result: Result<(SeparationDecision, DataSide?, String), RPCError>
}
