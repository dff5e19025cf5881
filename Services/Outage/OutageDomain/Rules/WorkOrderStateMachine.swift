import OutageAPI
import RPCCore

/// The work-order lifecycle: CREATED → ASSIGNED (also ASSIGNED → ASSIGNED, a reassignment)
/// → EN_ROUTE → IN_PROGRESS → COMPLETED; any non-terminal state → CANCELLED. Every other
/// edge is FAILED_PRECONDITION naming both states.
public enum WorkOrderStateMachine {
    public static let terminal: Set<WorkOrderStatus> = [.completed, .cancelled]

    public static func isLegal(from: WorkOrderStatus, to: WorkOrderStatus) -> Bool {
        switch (from, to) {
        case (.created, .assigned), (.assigned, .assigned), (.assigned, .enRoute), (.enRoute, .inProgress), (.inProgress, .completed):
            true
        case (.created, .cancelled), (.assigned, .cancelled), (.enRoute, .cancelled), (.inProgress, .cancelled):
            true
        default:
            false
        }
    }

    public static func check(from: WorkOrderStatus, to: WorkOrderStatus, workOrderID: String) throws(RPCError) {
        guard isLegal(from: from, to: to) else {
            throw RPCError(
                code: .failedPrecondition,
                message: "work order '\(workOrderID)' cannot go from \(name(from)) to \(name(to))")
        }
    }

    static func name(_ status: WorkOrderStatus) -> String { status.protoName ?? "\(status.rawValue)" }
}
