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

    /// Each account's decision (or why it could not be made), in `accountIDs` order.
    ///
    /// One account after another, not in a task group: with a task group here (and the same in
    /// `MeteringSeparation.visibleProfiles`), release builds crashed under authenticated
    /// overviews — a child's result arrived corrupted (an index out of range here, a garbage
    /// string in metering) within ~20 overviews — while debug and AddressSanitizer builds never
    /// did. The cause is not found; `scripts/release-smoke` (run by `scripts/test`) guards it.
    /// A batch rarely asks about more than a few accounts, so the calls are few.
    private func decisions(
        for accountIDs: [String], caller: Caller
    ) async -> [Result<(SeparationDecision, DataSide?, String), RPCError>] {
        var outcomes: [Result<(SeparationDecision, DataSide?, String), RPCError>] = []
        for accountID in accountIDs {
            do {
                outcomes.append(.success(try await decide(accountID: accountID, recordSide: nil, caller: caller)))
            } catch {
                outcomes.append(.failure(HandlerStatus.status(for: error)))
            }
        }
        return outcomes
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
