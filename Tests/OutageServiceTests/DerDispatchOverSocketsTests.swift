import Foundation
import OutageAPI
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceTestSupport
import XCTest

/// IssueDerDispatch, GetDerDispatch, RecordDerDispatchReply and ListDerDispatches over a real
/// loopback socket: ISSUED → ACKNOWLEDGED → COMPLETED or FAILED (ISSUED may skip straight to
/// either end); every other reply is FAILED_PRECONDITION and changes nothing.
final class DerDispatchOverSocketsTests: XCTestCase {
    private var service: LoopbackService!
    private var client: OutageServiceClient { OutageServiceClient(channel: service.channel) }

    override func setUp() async throws { service = try await .outage() }
    override func tearDown() async throws { await service.stop() }

    private static let program = "PGM-" + String(repeating: "7", count: 26)
    private static let otherProgram = "PGM-" + String(repeating: "8", count: 26)

    /// A window of `hours` starting `start` hours after t0.
    private static func window(_ start: Int64, hours: Int64 = 1) -> TimeRange {
        .with {
            $0.startTime = Timestamp(seconds: OutageFixtures.t0 + start * 3_600)
            $0.endTime = Timestamp(seconds: OutageFixtures.t0 + (start + hours) * 3_600)
        }
    }

    private static func instruction(device: Int, program: String = program, kilowatts: Int64 = 5, start: Int64 = 0) -> DerDispatch {
        .with {
            $0.deviceID = OutageFixtures.asset(device)
            $0.programID = program
            $0.targetPower = .with { $0.milliValue = kilowatts * 1_000; $0.unit = .kilowatt }
            $0.window = window(start)
        }
    }

    private func issue(_ dispatch: DerDispatch, requestID: String = "") async throws -> DerDispatch {
        try await client.issueDerDispatch(.with { $0.dispatch = dispatch; $0.requestID = requestID }).dispatch!
    }

    private func reply(_ id: String, _ status: DerDispatchStatus, message: String = "") async throws -> DerDispatch {
        try await client.recordDerDispatchReply(.with {
            $0.dispatchID = id
            $0.reply = .with { $0.status = status; $0.message = message; $0.replyTime = Timestamp(seconds: OutageFixtures.t0 + 60) }
        }).dispatch!
    }

    func testRepliesFollowTheStateRules() async throws {
        let client = self.client
        let issued = try await issue(Self.instruction(device: 1), requestID: "drd-1")
        XCTAssertTrue(issued.dispatchID.hasPrefix("DRD-"))
        XCTAssertEqual(issued.status, .issued)
        XCTAssertEqual(issued.replies, [])
        XCTAssertNotNil(issued.issueTime)
        try await XCTAssertEqualAsync(try await self.issue(Self.instruction(device: 1), requestID: "drd-1").dispatchID, issued.dispatchID)
        await XCTAssertStatus(.alreadyExists, "drd-1") { _ = try await self.issue(Self.instruction(device: 2), requestID: "drd-1") }

        let acknowledged = try await reply(issued.dispatchID, .acknowledged)
        XCTAssertEqual(acknowledged.status, .acknowledged)
        // ACKNOWLEDGED cannot be acknowledged again or go back to ISSUED.
        for illegal in [DerDispatchStatus.acknowledged, .issued] {
            await XCTAssertStatus(.failedPrecondition, issued.dispatchID, "ACKNOWLEDGED", illegal.protoName ?? "?") {
                _ = try await self.reply(issued.dispatchID, illegal)
            }
        }
        var achieved = DerDispatchReply.with {
            $0.status = .completed
            $0.achievedPower = .with { $0.milliValue = 4_800; $0.unit = .kilowatt }
            $0.deliveredEnergy = .with { $0.milliValue = 4_800_000; $0.unit = .wh }
            $0.message = "held 4.8 kW for the window"
        }
        let completed = try await client.recordDerDispatchReply(.with { $0.dispatchID = issued.dispatchID; $0.reply = achieved }).dispatch!
        XCTAssertEqual(completed.status, .completed)
        XCTAssertEqual(completed.replies.map(\.status), [.acknowledged, .completed])
        XCTAssertEqual(completed.replies.last?.achievedPower, achieved.achievedPower)
        XCTAssertNotNil(completed.replies.last?.replyTime, "an unset reply time is stamped now")
        // COMPLETED is terminal.
        for illegal in [DerDispatchStatus.failed, .completed, .acknowledged] {
            await XCTAssertStatus(.failedPrecondition, "COMPLETED") { _ = try await self.reply(issued.dispatchID, illegal) }
        }
        try await XCTAssertEqualAsync(try await client.getDerDispatch(.with { $0.dispatchID = issued.dispatchID }).dispatch, completed)

        // ISSUED may go straight to FAILED (terminal too) or to COMPLETED.
        let refused = try await issue(Self.instruction(device: 2))
        let failed = try await reply(refused.dispatchID, .failed, message: "battery below reserve")
        XCTAssertEqual(failed.status, .failed)
        XCTAssertEqual(failed.replies.first?.message, "battery below reserve")
        await XCTAssertStatus(.failedPrecondition, "FAILED") { _ = try await self.reply(refused.dispatchID, .completed) }
        let quick = try await issue(Self.instruction(device: 3))
        try await XCTAssertEqualAsync(try await self.reply(quick.dispatchID, .completed).status, .completed)

        // Bad replies name the field and change nothing.
        let open = try await issue(Self.instruction(device: 4))
        await XCTAssertStatus(.invalidArgument, "reply.status") { _ = try await self.reply(open.dispatchID, .unspecified) }
        await XCTAssertStatus(.invalidArgument, "reply") { _ = try await client.recordDerDispatchReply(.with { $0.dispatchID = open.dispatchID }) }
        achieved.achievedPower = .with { $0.milliValue = 1; $0.unit = .celsius }
        await XCTAssertStatus(.invalidArgument, "reply.achieved_power.unit") {
            _ = try await client.recordDerDispatchReply(.with { $0.dispatchID = open.dispatchID; $0.reply = achieved })
        }
        let missing = OutageFixtures.missingID("DRD")
        await XCTAssertStatus(.notFound, missing) { _ = try await self.reply(missing, .acknowledged) }
        await XCTAssertStatus(.invalidArgument, "dispatch_id") { _ = try await self.reply("DRD-1", .acknowledged) }
        await XCTAssertStatus(.notFound, missing) { _ = try await client.getDerDispatch(.with { $0.dispatchID = missing }) }
        try await XCTAssertEqualAsync(try await client.getDerDispatch(.with { $0.dispatchID = open.dispatchID }).dispatch, open)
    }

    func testBadInstructionsAreRefused() async throws {
        let good = Self.instruction(device: 1)
        let bad: [(String, (inout DerDispatch) -> Void)] = [
            ("dispatch.device_id", { $0.deviceID = "" }),
            ("dispatch.device_id", { $0.deviceID = "MTR-" + String(repeating: "1", count: 26) }),
            ("dispatch.program_id", { $0.programID = "" }),
            ("dispatch.program_id", { $0.programID = "summer-peak" }),
            ("dispatch.target_power", { $0.targetPower = nil }),
            ("dispatch.target_power.unit", { $0.targetPower?.unit = .kilowattHour }),
            ("dispatch.window", { $0.window = nil }),
            ("dispatch.window", { $0.window?.endTime = nil }),
            ("dispatch.window", { $0.window = Self.window(2, hours: 0) }),
            ("dispatch.window.end_time", { $0.window = .with { $0.startTime = Self.window(2).endTime; $0.endTime = Self.window(2).startTime } }),
        ]
        for (field, spoil) in bad {
            var dispatch = good
            spoil(&dispatch)
            await XCTAssertStatus(.invalidArgument, field) { _ = try await self.issue(dispatch) }
        }
        await XCTAssertStatus(.invalidArgument, "dispatch") { _ = try await self.client.issueDerDispatch(IssueDerDispatchRequest()) }
        try await XCTAssertEqualAsync(try await client.listDerDispatches(ListDerDispatchesRequest()).dispatches.count, 0)
    }

    /// Listing by program, device, status and window overlap, ordered by window start.
    func testListingByProgramDeviceStatusAndWindow() async throws {
        let client = self.client
        // Windows (hours after t0): a [0,1) b [2,3) c [4,5) — program 7; d [2,3) program 8.
        let a = try await issue(Self.instruction(device: 1, start: 0))
        let c = try await issue(Self.instruction(device: 1, start: 4))
        let b = try await issue(Self.instruction(device: 2, start: 2))
        let d = try await issue(Self.instruction(device: 2, program: Self.otherProgram, start: 2))
        _ = try await reply(b.dispatchID, .acknowledged)

        func ids(_ request: ListDerDispatchesRequest) async throws -> [String] { try await client.listDerDispatches(request).dispatches.map(\.dispatchID) }
        try await XCTAssertEqualAsync(try await ids(.with { $0.programID = Self.program }), [a, b, c].map(\.dispatchID))
        try await XCTAssertEqualAsync(try await ids(.with { $0.programID = Self.otherProgram }), [d.dispatchID])
        try await XCTAssertEqualAsync(try await ids(.with { $0.deviceID = OutageFixtures.asset(1) }), [a, c].map(\.dispatchID))
        try await XCTAssertEqualAsync(try await ids(.with { $0.programID = Self.program; $0.status = .acknowledged }), [b.dispatchID])
        try await XCTAssertEqualAsync(try await ids(.with { $0.programID = Self.program; $0.status = .issued }), [a, c].map(\.dispatchID))
        // [t0 + 1 h, t0 + 4 h) overlaps b and d only: a ends at its start, c starts at its end.
        try await XCTAssertEqualAsync(Set(try await ids(.with { $0.window = Self.window(1, hours: 3) })), Set([b, d].map(\.dispatchID)))
        try await XCTAssertEqualAsync(try await ids(.with { $0.window = .with { $0.startTime = Self.window(3).startTime } }), [c.dispatchID])
        // Paged two at a time, in window order.
        let first = try await client.listDerDispatches(.with { $0.programID = Self.program; $0.pageSize = 2 })
        XCTAssertEqual(first.dispatches.map(\.dispatchID), [a, b].map(\.dispatchID))
        let second = try await client.listDerDispatches(.with { $0.programID = Self.program; $0.pageSize = 2; $0.pageToken = first.nextPageToken })
        XCTAssertEqual(second.dispatches.map(\.dispatchID), [c.dispatchID])
        XCTAssertEqual(second.nextPageToken, "")

        await XCTAssertStatus(.invalidArgument, "program_id") { _ = try await client.listDerDispatches(.with { $0.programID = "PRG-1" }) }
        await XCTAssertStatus(.invalidArgument, "device_id") { _ = try await client.listDerDispatches(.with { $0.deviceID = Self.program }) }
        await XCTAssertStatus(.invalidArgument, "status") { _ = try await client.listDerDispatches(.with { $0.status = DerDispatchStatus(rawValue: 12) }) }
        await XCTAssertStatus(.invalidArgument, "window.end_time") {
            _ = try await client.listDerDispatches(.with { $0.window = .with { $0.startTime = Self.window(3).endTime; $0.endTime = Self.window(3).startTime } })
        }
        await XCTAssertStatus(.invalidArgument, "page_token") {
            _ = try await client.listDerDispatches(.with { $0.programID = Self.otherProgram; $0.pageSize = 2; $0.pageToken = first.nextPageToken })
        }
    }
}
