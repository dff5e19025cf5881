import Foundation
import OutageAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceTestSupport
import XCTest

/// RegisterCrew, GetCrew, ListCrews, UpdateCrew, ReportCrewPosition and ListCrewDispatches over
/// a real loopback socket, with the crew and its dispatches following work-order transitions.
final class CrewsOverSocketsTests: XCTestCase {
    private var service: LoopbackService!
    private var client: OutageServiceClient { OutageServiceClient(channel: service.channel) }

    override func setUp() async throws { service = try await .outage() }
    override func tearDown() async throws { await service.stop() }

    private func register(_ name: String, members: Int32 = 3, skills: [CrewSkill] = [], requestID: String = "") async throws -> Crew {
        try await client.registerCrew(.with {
            $0.crew = .with { $0.displayName = name; $0.memberCount = members; $0.skills = skills }
            $0.requestID = requestID
        }).crew!
    }

    private static func point(_ latitude: Double, _ longitude: Double) -> GeoPoint {
        .with { $0.latitudeE7 = Int32(latitude * 10_000_000); $0.longitudeE7 = Int32(longitude * 10_000_000) }
    }

    func testRegisterGetListAndUpdate() async throws {
        let client = self.client
        let line = try await register("Line crew 7", skills: [.overheadLine, .vegetation], requestID: "crew-7")
        XCTAssertTrue(line.crewID.hasPrefix("CRW-"))
        XCTAssertEqual(line.status, .available, "unspecified registers as AVAILABLE")
        XCTAssertNotNil(line.createTime)
        try await XCTAssertEqualAsync(try await register("Line crew 7", skills: [.overheadLine, .vegetation], requestID: "crew-7").crewID, line.crewID)
        let cable = try await register("Cable crew 2", members: 4, skills: [.undergroundCable])
        let substation = try await register("Substation crew 1", members: 2, skills: [.substation, .metering])
        try await XCTAssertEqualAsync(try await client.getCrew(.with { $0.crewID = cable.crewID }).crew, cable)

        // Each skill finds exactly the crews that have it (UNDERGROUND_CABLE = 2 and SUBSTATION = 3
        // must not share a bit of the skills mask).
        func crews(_ request: ListCrewsRequest) async throws -> [String] { try await client.listCrews(request).crews.map(\.crewID) }
        try await XCTAssertEqualAsync(try await crews(.with { $0.skill = .substation }), [substation.crewID])
        try await XCTAssertEqualAsync(try await crews(.with { $0.skill = .undergroundCable }), [cable.crewID])
        try await XCTAssertEqualAsync(try await crews(.with { $0.skill = .overheadLine }), [line.crewID])
        try await XCTAssertEqualAsync(try await crews(.with { $0.skill = .metering }), [substation.crewID])
        try await XCTAssertEqualAsync(try await crews(.with { $0.skill = .gasMain }), [])
        try await XCTAssertEqualAsync(Set(try await crews(ListCrewsRequest())), Set([line, cable, substation].map(\.crewID)))
        let firstPage = try await client.listCrews(.with { $0.pageSize = 2 })
        XCTAssertEqual(firstPage.crews.count, 2)
        let secondPage = try await client.listCrews(.with { $0.pageSize = 2; $0.pageToken = firstPage.nextPageToken })
        XCTAssertEqual(Set((firstPage.crews + secondPage.crews).map(\.crewID)), Set([line, cable, substation].map(\.crewID)))
        XCTAssertEqual(secondPage.nextPageToken, "")

        let renamed = try await client.updateCrew(.with {
            $0.crew = .with { $0.crewID = cable.crewID; $0.displayName = "Cable crew 2N"; $0.memberCount = 99; $0.status = .offDuty }
            $0.updateMask = FieldMask(paths: ["display_name", "status"])
        }).crew!
        XCTAssertEqual(renamed.displayName, "Cable crew 2N")
        XCTAssertEqual(renamed.memberCount, 4, "member_count was not in the mask")
        XCTAssertEqual(renamed.status, .offDuty)
        try await XCTAssertEqualAsync(try await crews(.with { $0.status = .offDuty }), [cable.crewID])

        // Bad input names the field and changes nothing.
        await XCTAssertStatus(.invalidArgument, "crew.display_name") { _ = try await self.register("  ") }
        await XCTAssertStatus(.invalidArgument, "crew.member_count") { _ = try await self.register("Crew 0", members: 0) }
        await XCTAssertStatus(.invalidArgument, "crew.skills[1]") { _ = try await self.register("Crew X", skills: [.metering, .unspecified]) }
        await XCTAssertStatus(.invalidArgument, "update_mask") {
            _ = try await client.updateCrew(.with { $0.crew = .with { $0.crewID = line.crewID; $0.memberCount = 0 } })
        }
        await XCTAssertStatus(.invalidArgument, "current_work_order_id") {
            _ = try await client.updateCrew(.with { $0.crew = .with { $0.crewID = line.crewID }; $0.updateMask = FieldMask(paths: ["current_work_order_id"]) })
        }
        await XCTAssertStatus(.invalidArgument, "crew.member_count") {
            _ = try await client.updateCrew(.with { $0.crew = .with { $0.crewID = line.crewID; $0.memberCount = -1 }; $0.updateMask = FieldMask(paths: ["member_count"]) })
        }
        let missing = OutageFixtures.missingID("CRW")
        await XCTAssertStatus(.notFound, missing) { _ = try await client.getCrew(.with { $0.crewID = missing }) }
        await XCTAssertStatus(.invalidArgument, "crew_id") { _ = try await client.getCrew(.with { $0.crewID = "WO-1" }) }
        await XCTAssertStatus(.invalidArgument, "skill") { _ = try await client.listCrews(.with { $0.skill = CrewSkill(rawValue: 63) }) }
        await XCTAssertStatus(.invalidArgument, "bounds.south_west") {
            _ = try await client.listCrews(.with { $0.bounds = .with { $0.southWest = .with { $0.latitudeE7 = 950_000_000 }; $0.northEast = Self.point(1, 1) } })
        }
        await XCTAssertStatus(.invalidArgument, "bounds") {
            _ = try await client.listCrews(.with { $0.bounds = .with { $0.southWest = Self.point(1, 1) } })
        }
        await XCTAssertStatus(.invalidArgument, "bounds.south_west.latitude_e7") {
            _ = try await client.listCrews(.with { $0.bounds = .with { $0.southWest = Self.point(2, 0); $0.northEast = Self.point(1, 1) } })
        }
        try await XCTAssertEqualAsync(try await client.getCrew(.with { $0.crewID = line.crewID }).crew, line)
        try await XCTAssertEqualAsync(try await crews(ListCrewsRequest()).count, 3)
    }

    func testPositionsAreKeptNewestAndFoundByBox() async throws {
        let client = self.client
        let crew = try await register("Line crew 3")
        let other = try await register("Line crew 4")
        let t0 = OutageFixtures.t0
        let first = try await client.reportCrewPosition(.with {
            $0.crewID = crew.crewID; $0.position = Self.point(47.6062, -122.3321); $0.positionTime = Timestamp(seconds: t0)
        }).crew!
        XCTAssertEqual(first.lastPosition, Self.point(47.6062, -122.3321))
        XCTAssertEqual(first.positionTime, Timestamp(seconds: t0))
        let moved = try await client.reportCrewPosition(.with {
            $0.crewID = crew.crewID; $0.position = Self.point(47.61, -122.2); $0.positionTime = Timestamp(seconds: t0 + 60)
        }).crew!
        XCTAssertEqual(moved.lastPosition, Self.point(47.61, -122.2))
        // A late report of an older position does not overwrite the newer one.
        let late = try await client.reportCrewPosition(.with {
            $0.crewID = crew.crewID; $0.position = Self.point(40, -100); $0.positionTime = Timestamp(seconds: t0 + 30)
        }).crew!
        XCTAssertEqual(late.lastPosition, Self.point(47.61, -122.2))
        XCTAssertEqual(late.positionTime, Timestamp(seconds: t0 + 60))
        _ = try await client.reportCrewPosition(.with { $0.crewID = other.crewID; $0.position = Self.point(45.5, -122.6) })

        let seattle = BoundingBox.with { $0.southWest = Self.point(47.5, -122.5); $0.northEast = Self.point(47.7, -122.1) }
        try await XCTAssertEqualAsync(try await client.listCrews(.with { $0.bounds = seattle }).crews.map(\.crewID), [crew.crewID])
        let oregon = BoundingBox.with { $0.southWest = Self.point(45, -123); $0.northEast = Self.point(46, -122) }
        try await XCTAssertEqualAsync(try await client.listCrews(.with { $0.bounds = oregon }).crews.map(\.crewID), [other.crewID])

        await XCTAssertStatus(.invalidArgument, "position") { _ = try await client.reportCrewPosition(.with { $0.crewID = crew.crewID }) }
        await XCTAssertStatus(.invalidArgument, "position.longitude_e7") {
            _ = try await client.reportCrewPosition(.with { $0.crewID = crew.crewID; $0.position = .with { $0.longitudeE7 = 1_800_000_001 } })
        }
        await XCTAssertStatus(.invalidArgument, "position_time") {
            _ = try await client.reportCrewPosition(.with {
                $0.crewID = crew.crewID; $0.position = Self.point(1, 1); $0.positionTime = Timestamp(seconds: t0 + 600, nanos: -1)
            })
        }
        let missing = OutageFixtures.missingID("CRW")
        await XCTAssertStatus(.notFound, missing) { _ = try await client.reportCrewPosition(.with { $0.crewID = missing; $0.position = Self.point(1, 1) }) }
        try await XCTAssertEqualAsync(try await client.getCrew(.with { $0.crewID = crew.crewID }).crew?.lastPosition, Self.point(47.61, -122.2))
    }

    /// Dispatches follow the work order: assign → reassign (the first dispatch ends REASSIGNED and
    /// frees its crew) → EN_ROUTE → IN_PROGRESS → COMPLETED. A crew moved to a second order keeps
    /// that order when its first one finishes.
    func testDispatchesFollowWorkOrders() async throws {
        let client = self.client
        let first = try await register("Line crew 1")
        let second = try await register("Line crew 2")
        func workOrder(_ text: String) async throws -> String {
            try await client.createWorkOrder(.with { $0.workOrder = .with { $0.kind = .repair; $0.instructions = text } }).workOrder!.workOrderID
        }
        let order = try await workOrder("Replace fuse on lateral 12")
        let assigned = try await client.assignWorkOrder(.with { $0.workOrderID = order; $0.crewID = first.crewID })
        let firstDispatch = try XCTUnwrap(assigned.dispatch)
        XCTAssertTrue(firstDispatch.dispatchID.hasPrefix("CDP-"))
        XCTAssertEqual(firstDispatch.crewID, first.crewID)
        XCTAssertNotNil(firstDispatch.assignTime)
        try await XCTAssertEqualAsync(try await client.getCrew(.with { $0.crewID = first.crewID }).crew?.status, .assigned)

        // Reassignment ends the first dispatch and frees its crew.
        let reassigned = try await client.assignWorkOrder(.with { $0.workOrderID = order; $0.crewID = second.crewID })
        let secondDispatch = try XCTUnwrap(reassigned.dispatch)
        let freed = try await client.getCrew(.with { $0.crewID = first.crewID }).crew!
        XCTAssertEqual(freed.status, .available)
        XCTAssertEqual(freed.currentWorkOrderID, "")
        let ended = try await client.listCrewDispatches(.with { $0.crewID = first.crewID }).dispatches
        XCTAssertEqual(ended.map(\.dispatchID), [firstDispatch.dispatchID])
        XCTAssertEqual(ended.first?.outcome, .reassigned)
        XCTAssertNotNil(ended.first?.finishTime)

        _ = try await client.transitionWorkOrder(.with { $0.workOrderID = order; $0.toStatus = .enRoute })
        try await XCTAssertEqualAsync(try await client.getCrew(.with { $0.crewID = second.crewID }).crew?.status, .enRoute)
        _ = try await client.transitionWorkOrder(.with { $0.workOrderID = order; $0.toStatus = .inProgress })
        try await XCTAssertEqualAsync(try await client.getCrew(.with { $0.crewID = second.crewID }).crew?.status, .onSite)
        let active = try await client.listCrewDispatches(.with { $0.workOrderID = order; $0.activeOnly = true }).dispatches
        XCTAssertEqual(active.map(\.dispatchID), [secondDispatch.dispatchID])
        XCTAssertNotNil(active.first?.departTime)
        XCTAssertNotNil(active.first?.arriveTime)
        XCTAssertNil(active.first?.finishTime)

        // The crew is sent on to a second order before the first is closed: closing the first
        // must not free the crew from the second.
        let next = try await workOrder("Inspect recloser 4")
        _ = try await client.assignWorkOrder(.with { $0.workOrderID = next; $0.crewID = second.crewID })
        _ = try await client.transitionWorkOrder(.with { $0.workOrderID = order; $0.toStatus = .completed; $0.reason = "fuse replaced" })
        let stillBusy = try await client.getCrew(.with { $0.crewID = second.crewID }).crew!
        XCTAssertEqual(stillBusy.currentWorkOrderID, next)
        XCTAssertEqual(stillBusy.status, .assigned)
        // A crew on a work order cannot go off duty.
        await XCTAssertStatus(.failedPrecondition, second.crewID, next) {
            _ = try await client.updateCrew(.with { $0.crew = .with { $0.crewID = second.crewID; $0.status = .offDuty }; $0.updateMask = FieldMask(paths: ["status"]) })
        }

        let all = try await client.listCrewDispatches(.with { $0.workOrderID = order }).dispatches
        XCTAssertEqual(Set(all.map(\.dispatchID)), [firstDispatch.dispatchID, secondDispatch.dispatchID])
        let completed = try XCTUnwrap(all.first { $0.dispatchID == secondDispatch.dispatchID })
        XCTAssertEqual(completed.outcome, .completed)
        XCTAssertNotNil(completed.finishTime)
        try await XCTAssertEqualAsync(try await client.listCrewDispatches(.with { $0.crewID = second.crewID; $0.activeOnly = true }).dispatches.map(\.workOrderID), [next])
        try await XCTAssertEqualAsync(try await client.listCrewDispatches(ListCrewDispatchesRequest()).dispatches.count, 3)

        await XCTAssertStatus(.invalidArgument, "crew_id") { _ = try await client.listCrewDispatches(.with { $0.crewID = "crew 1" }) }
        await XCTAssertStatus(.invalidArgument, "work_order_id") { _ = try await client.listCrewDispatches(.with { $0.workOrderID = first.crewID }) }
        await XCTAssertStatus(.failedPrecondition, "crew_id") {
            _ = try await client.assignWorkOrder(.with { $0.workOrderID = next; $0.crewID = OutageFixtures.missingID("CRW") })
        }
    }
}
