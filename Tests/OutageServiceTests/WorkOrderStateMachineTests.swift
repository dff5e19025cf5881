import OutageAPI
import OutageDomain
import RPCCore
import XCTest

/// Every (from, to) pair of work-order states: the legal edges pass, every other is refused
/// with FAILED_PRECONDITION naming both states.
final class WorkOrderStateMachineTests: XCTestCase {
    static let legal: Set<[Int32]> = [
        [1, 2], [2, 2], [2, 3], [3, 4], [4, 5],  // CREATED → ASSIGNED (→ ASSIGNED) → EN_ROUTE → IN_PROGRESS → COMPLETED
        [1, 6], [2, 6], [3, 6], [4, 6],  // any non-terminal → CANCELLED
    ]

    func testEveryEdge() {
        var refused = 0
        for from in WorkOrderStatus.knownCases {
            for to in WorkOrderStatus.knownCases {
                let expected = Self.legal.contains([from.rawValue, to.rawValue])
                XCTAssertEqual(WorkOrderStateMachine.isLegal(from: from, to: to), expected, "\(from) → \(to)")
                do {
                    try WorkOrderStateMachine.check(from: from, to: to, workOrderID: "WO-1")
                    XCTAssertTrue(expected, "\(from) → \(to) should be refused")
                } catch {
                    XCTAssertFalse(expected, "\(from) → \(to) should be allowed")
                    XCTAssertEqual(error.code, .failedPrecondition)
                    XCTAssertTrue(error.message.contains(from.protoName!) && error.message.contains(to.protoName!), error.message)
                    refused += 1
                }
            }
        }
        XCTAssertEqual(refused, 7 * 7 - Self.legal.count)
    }
}
