import FinanceAPI
import RPCCore

/// The filing lifecycle: DRAFT → FILED → UNDER_REVIEW → APPROVED | REJECTED; FILED may go
/// straight to APPROVED or REJECTED; DRAFT, FILED and UNDER_REVIEW may be WITHDRAWN. The
/// three outcomes are terminal.
public enum FilingStatusMachine {
    static let edges: [FilingStatus: Set<FilingStatus>] = [
        .draft: [.filed, .withdrawn],
        .filed: [.underReview, .approved, .rejected, .withdrawn],
        .underReview: [.approved, .rejected, .withdrawn],
    ]

    public static func canMove(from: FilingStatus, to: FilingStatus) -> Bool { edges[from]?.contains(to) ?? false }

    static func check(from: FilingStatus, to: FilingStatus, filingID: String) throws(RPCError) {
        try FieldRules.specified(to, "to_status")
        guard canMove(from: from, to: to) else {
            throw Fail.precondition(
                "filing '\(filingID)' cannot move from \(from.protoName ?? "?") to \(to.protoName ?? "?")")
        }
    }
}
