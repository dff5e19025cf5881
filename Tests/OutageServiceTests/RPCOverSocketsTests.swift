import Foundation
import OutageAPI
import OutageDomain
import OutageService
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceTestSupport
import XCTest

/// quantum.outage.v1.OutageService through a real `GRPCServer` on a loopback port, called with
/// our `GRPCChannel` and the generated `OutageServiceClient`.
final class OutageRPCOverSocketsTests: XCTestCase {
    private var service: LoopbackService!
    private var client: OutageServiceClient { OutageServiceClient(channel: service.channel) }

    override func setUp() async throws { service = try await .outage() }
    override func tearDown() async throws { await service.stop() }

    func testOutageLifecycleAndListing() async throws {
        let client = self.client
        let t0 = OutageFixtures.t0
        let reported = try await client.reportOutage(.with {
            $0.outage = OutageFixtures.outage(start: t0, customers: 120, premises: [OutageFixtures.premise(1), OutageFixtures.premise(2)]); $0.requestID = "out-1"
        }).outage!
        XCTAssertEqual(reported.status, .reported)
        XCTAssertTrue(reported.outageID.hasPrefix("OUT-"))
        // Replaying the same request id returns the same outage.
        let replay = try await client.reportOutage(.with {
            $0.outage = OutageFixtures.outage(start: t0, customers: 120, premises: [OutageFixtures.premise(1), OutageFixtures.premise(2)]); $0.requestID = "out-1"
        }).outage!
        XCTAssertEqual(replay.outageID, reported.outageID)
        let other = try await client.reportOutage(.with { $0.outage = OutageFixtures.outage(start: t0 + 60, customers: 5) }).outage!

        let confirmed = try await client.confirmOutage(.with { $0.outageID = reported.outageID; $0.cause = .vegetation }).outage!
        XCTAssertEqual(confirmed.status, .confirmed)
        XCTAssertEqual(confirmed.cause, .vegetation)
        XCTAssertGreaterThan(confirmed.changeSequence, reported.changeSequence)

        let restored = try await client.restoreOutage(.with {
            $0.outageID = reported.outageID; $0.endTime = Timestamp(seconds: t0 + 90 * 60)
        }).outage!
        XCTAssertEqual(restored.status, .restored)
        XCTAssertEqual(restored.endTime, Timestamp(seconds: t0 + 90 * 60))
        XCTAssertEqual(restored.interruptionClass, .sustained)  // 90 min ≥ 5 min
        await XCTAssertStatus(.failedPrecondition) { _ = try await client.confirmOutage(.with { $0.outageID = reported.outageID }) }
        await XCTAssertStatus(.failedPrecondition) {
            _ = try await client.updateOutage(.with {
                $0.outage = .with { $0.outageID = reported.outageID; $0.notes = "late" }; $0.updateMask = FieldMask(paths: ["notes"])
            })
        }

        let open = try await client.listOutages(.with { $0.openOnly = true }).outages
        XCTAssertEqual(open.map(\.outageID), [other.outageID])
        let all = try await client.listOutages(.with { $0.orderBy = "start_time" }).outages
        XCTAssertEqual(all.map(\.outageID), [reported.outageID, other.outageID])
        XCTAssertEqual(all.first?.status, .restored)
        let byPremise = try await client.listOutages(.with { $0.premiseIDs = [OutageFixtures.premise(2)] }).outages
        XCTAssertEqual(byPremise.map(\.outageID), [reported.outageID])
        // As many premise ids as the call accepts (1,000), the affected one last: the query
        // must not grow with them into something SQLite refuses.
        let thousand = (3..<1002).map(OutageFixtures.premise) + [OutageFixtures.premise(1)]
        let byManyPremises = try await client.listOutages(.with { $0.premiseIDs = thousand }).outages
        XCTAssertEqual(byManyPremises.map(\.outageID), [reported.outageID])
        let none = try await client.listOutages(.with { $0.premiseIDs = Array(thousand.dropLast()) }).outages
        XCTAssertEqual(none, [])
        await XCTAssertStatus(.invalidArgument) {
            _ = try await client.listOutages(.with { $0.premiseIDs = thousand + [OutageFixtures.premise(2)] })
        }
        let fetched = try await client.getOutage(.with { $0.outageID = reported.outageID }).outage
        XCTAssertEqual(fetched, restored)
        await XCTAssertStatus(.notFound) { _ = try await client.getOutage(.with { $0.outageID = "OUT-" + String(repeating: "0", count: 26) }) }
    }

    func testWorkOrderLifecycleAndIllegalTransition() async throws {
        let client = self.client
        let crew = try await client.registerCrew(.with { $0.crew = .with { $0.displayName = "Line crew 7"; $0.memberCount = 3 } }).crew!
        let order = try await client.createWorkOrder(.with {
            $0.workOrder = .with { $0.kind = .repair; $0.instructions = "Replace blown fuse on lateral 12" }; $0.requestID = "wo-1"
        }).workOrder!
        XCTAssertEqual(order.status, .created)

        // CREATED → COMPLETED skips the state machine.
        await XCTAssertStatus(.failedPrecondition) {
            _ = try await client.transitionWorkOrder(.with { $0.workOrderID = order.workOrderID; $0.toStatus = .completed })
        }
        let assigned = try await client.assignWorkOrder(.with { $0.workOrderID = order.workOrderID; $0.crewID = crew.crewID }).workOrder!
        XCTAssertEqual(assigned.status, .assigned)
        XCTAssertEqual(assigned.crewID, crew.crewID)
        // ASSIGNED → IN_PROGRESS skips EN_ROUTE.
        await XCTAssertStatus(.failedPrecondition) {
            _ = try await client.transitionWorkOrder(.with { $0.workOrderID = order.workOrderID; $0.toStatus = .inProgress })
        }
        for next in [WorkOrderStatus.enRoute, .inProgress, .completed] {
            let moved = try await client.transitionWorkOrder(.with { $0.workOrderID = order.workOrderID; $0.toStatus = next; $0.reason = "step" }).workOrder!
            XCTAssertEqual(moved.status, next)
        }
        let done = try await client.getWorkOrder(.with { $0.workOrderID = order.workOrderID }).workOrder!
        XCTAssertEqual(done.statusHistory.map(\.toStatus), [.created, .assigned, .enRoute, .inProgress, .completed])
        // COMPLETED is terminal.
        await XCTAssertStatus(.failedPrecondition) {
            _ = try await client.transitionWorkOrder(.with { $0.workOrderID = order.workOrderID; $0.toStatus = .cancelled })
        }
        await XCTAssertStatus(.failedPrecondition) {
            _ = try await client.assignWorkOrder(.with { $0.workOrderID = order.workOrderID; $0.crewID = crew.crewID })
        }
        let freed = try await client.getCrew(.with { $0.crewID = crew.crewID }).crew!
        XCTAssertEqual(freed.status, .available)
        XCTAssertEqual(freed.currentWorkOrderID, "")
        let completed = try await client.listWorkOrders(.with { $0.status = .completed }).workOrders
        XCTAssertEqual(completed.map(\.workOrderID), [order.workOrderID])
        try await XCTAssertTrueAsync(try await client.listWorkOrders(.with { $0.openOnly = true }).workOrders.isEmpty)
    }


    /// Open outages come first as SNAPSHOT, then SNAPSHOT_COMPLETE, then each of 20 concurrent
    /// updates exactly once, in increasing sequence order.
    func testWatchDeliversSnapshotThenEveryConcurrentChangeOnce() async throws {
        let client = self.client
        let t0 = OutageFixtures.t0
        var open: [OutageEvent] = []
        for i in 0..<3 {
            open.append(try await client.reportOutage(.with { $0.outage = OutageFixtures.outage(start: t0 + Int64(i), customers: 10) }).outage!)
        }
        let closed = try await client.reportOutage(.with { $0.outage = OutageFixtures.outage(start: t0 - 100, customers: 10) }).outage!
        _ = try await client.restoreOutage(.with { $0.outageID = closed.outageID; $0.endTime = Timestamp(seconds: t0) })

        let updates = 20
        let targets = open.map(\.outageID)
        let (ready, readyContinuation) = AsyncStream.makeStream(of: Void.self)
        let received = try await withThrowingTaskGroup(of: [WatchOutagesResponse]?.self) { group in
            group.addTask {
                try await client.watchOutages(WatchOutagesRequest()) { response in
                    var messages: [WatchOutagesResponse] = []
                    var changes = 0
                    for try await message in response.messages {
                        messages.append(message)
                        if message.changeKind == .snapshotComplete { readyContinuation.yield() }
                        if message.changeKind != .snapshot, message.changeKind != .snapshotComplete { changes += 1 }
                        if changes == updates { break }
                    }
                    return messages
                }
            }
            group.addTask {
                var iterator = ready.makeAsyncIterator()
                _ = await iterator.next()
                // 20 concurrent updates spread over the open outages.
                try await withThrowingTaskGroup(of: Void.self) { writers in
                    for i in 0..<updates {
                        let target = targets[i % targets.count]
                        writers.addTask {
                            _ = try await client.updateOutage(.with {
                                $0.outage = .with { $0.outageID = target; $0.customersAffected = Int64(100 + i) }
                                $0.updateMask = FieldMask(paths: ["customers_affected"])
                            })
                        }
                    }
                    try await writers.waitForAll()
                }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: .seconds(30))
                throw RPCError(code: .deadlineExceeded, message: "watch did not deliver every change in 30 s")
            }
            var result: [WatchOutagesResponse] = []
            var finished = 0
            while let next = try await group.next() {
                finished += 1
                if let messages = next { result = messages }
                if finished == 2 { break }
            }
            group.cancelAll()
            return result
        }

        let snapshot = received.prefix { $0.changeKind == .snapshot }
        XCTAssertEqual(Set(snapshot.map { $0.outage?.outageID ?? "" }), Set(open.map(\.outageID)), "open outages only, restored one excluded")
        XCTAssertEqual(received.dropFirst(snapshot.count).first?.changeKind, .snapshotComplete)
        let changes = received.dropFirst(snapshot.count + 1)
        XCTAssertEqual(changes.count, updates)
        XCTAssertTrue(changes.allSatisfy { $0.changeKind == .updated })
        let sequences = changes.map(\.sequence)
        XCTAssertEqual(Set(sequences).count, updates, "no duplicate sequence")
        XCTAssertEqual(sequences, sequences.sorted(), "in sequence order")
        XCTAssertEqual(Set(changes.map { $0.outage?.customersAffected ?? -1 }), Set((0..<updates).map { Int64(100 + $0) }), "no lost update")
        let completeSequence = received[snapshot.count].sequence
        XCTAssertTrue(sequences.allSatisfy { $0 > completeSequence })
    }
}
