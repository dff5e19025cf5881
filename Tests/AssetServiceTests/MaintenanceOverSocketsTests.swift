import AssetAPI
import Foundation
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceTestSupport
import XCTest

/// CreateMaintenanceRecord, ListMaintenanceRecords and ListAssetsDueForMaintenance over a real
/// loopback socket; the due list is checked against dates worked out by hand below.
final class MaintenanceOverSocketsTests: XCTestCase {
    private var service: LoopbackService!
    private var client: AssetServiceClient { AssetServiceClient(channel: service.channel) }

    override func setUp() async throws { service = try await .asset() }
    override func tearDown() async throws { await service.stop() }

    private static func date(_ year: Int32, _ month: Int32, _ day: Int32) -> CalendarDate {
        .with { $0.year = year; $0.month = month; $0.day = day }
    }

    /// Noon UTC of the date, as a timestamp.
    private static func noon(_ year: Int, _ month: Int, _ day: Int) -> Timestamp {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12))!
        return Timestamp(seconds: Int64(date.timeIntervalSince1970))
    }

    private func create(_ name: String, _ type: AssetType, _ assetClass: AssetClass = .distribution) async throws -> String {
        try await client.createAsset(.with { $0.asset = AssetFixtures.asset(name, type, assetClass) }).asset!.assetID
    }

    @discardableResult
    private func record(
        _ asset: String, _ kind: MaintenanceKind, performed: Timestamp, nextDue: CalendarDate?, notes: String = "", requestID: String = ""
    ) async throws -> MaintenanceRecord {
        try await client.createMaintenanceRecord(.with {
            $0.record = .with {
                $0.assetID = asset
                $0.kind = kind
                $0.performTime = performed
                $0.nextDueDate = nextDue
                $0.notes = notes
            }
            $0.requestID = requestID
        }).record!
    }

    func testHistoryIsNewestFirstFilteredAndPaged() async throws {
        let client = self.client
        let transformer = try await create("Transformer 12-7", .transformer)
        let other = try await create("Transformer 12-8", .transformer)
        let inspection = try await record(transformer, .inspection, performed: Self.noon(2025, 1, 10), nextDue: Self.date(2025, 7, 10), notes: "oil level ok")
        let repair = try await record(transformer, .repair, performed: Self.noon(2025, 3, 5), nextDue: Self.date(2025, 4, 1), notes: "bushing replaced")
        let scheduled = try await record(transformer, .scheduled, performed: Self.noon(2025, 2, 1), nextDue: nil)
        try await record(other, .inspection, performed: Self.noon(2025, 2, 2), nextDue: nil)
        XCTAssertTrue(inspection.maintenanceRecordID.hasPrefix("MNT-"))
        XCTAssertNotNil(inspection.createTime)
        XCTAssertEqual(repair.notes, "bushing replaced")

        let all = try await client.listMaintenanceRecords(.with { $0.assetID = transformer }).records
        XCTAssertEqual(all.map(\.maintenanceRecordID), [repair, scheduled, inspection].map(\.maintenanceRecordID), "newest perform_time first")
        XCTAssertEqual(all.first, repair)

        // One per page, three pages, same order.
        var paged: [String] = []
        var token = ""
        repeat {
            let page = try await client.listMaintenanceRecords(.with { $0.assetID = transformer; $0.pageSize = 1; $0.pageToken = token })
            XCTAssertLessThanOrEqual(page.records.count, 1)
            paged += page.records.map(\.maintenanceRecordID)
            token = page.nextPageToken
        } while !token.isEmpty && paged.count < 10
        XCTAssertEqual(paged, all.map(\.maintenanceRecordID))

        let repairs = try await client.listMaintenanceRecords(.with { $0.assetID = transformer; $0.kind = .repair }).records
        XCTAssertEqual(repairs.map(\.maintenanceRecordID), [repair.maintenanceRecordID])
        // [2025-02-01 12:00, 2025-03-05 12:00): the scheduled visit only (the end is exclusive).
        let february = try await client.listMaintenanceRecords(.with {
            $0.assetID = transformer
            $0.timeRange = .with { $0.startTime = Self.noon(2025, 2, 1); $0.endTime = Self.noon(2025, 3, 5) }
        }).records
        XCTAssertEqual(february.map(\.maintenanceRecordID), [scheduled.maintenanceRecordID])

        // A page token is bound to the query it came from.
        let first = try await client.listMaintenanceRecords(.with { $0.assetID = transformer; $0.pageSize = 1 })
        await XCTAssertStatus(.invalidArgument, "page_token") {
            _ = try await client.listMaintenanceRecords(.with { $0.assetID = other; $0.pageSize = 1; $0.pageToken = first.nextPageToken })
        }
    }

    func testIdempotentCreateAndBadInputChangeNothing() async throws {
        let client = self.client
        let asset = try await create("Recloser 4", .switch)
        let first = try await record(asset, .inspection, performed: Self.noon(2025, 5, 1), nextDue: nil, notes: "ok", requestID: "mnt-1")
        let replay = try await record(asset, .inspection, performed: Self.noon(2025, 5, 1), nextDue: nil, notes: "ok", requestID: "mnt-1")
        XCTAssertEqual(replay, first, "a replay returns the first record")
        await XCTAssertStatus(.alreadyExists, "mnt-1") {
            try await self.record(asset, .inspection, performed: Self.noon(2025, 5, 1), nextDue: nil, notes: "different", requestID: "mnt-1")
        }

        let good = MaintenanceRecord.with { $0.assetID = asset; $0.kind = .repair; $0.performTime = Self.noon(2025, 5, 2) }
        let bad: [(String, (inout MaintenanceRecord) -> Void)] = [
            ("record.asset_id", { $0.assetID = "" }),
            ("record.asset_id", { $0.assetID = "MTR-" + String(repeating: "1", count: 26) }),
            ("record.kind", { $0.kind = .unspecified }),
            ("record.kind", { $0.kind = MaintenanceKind(rawValue: 42) }),
            ("record.perform_time", { $0.performTime = nil }),
            ("record.perform_time", { $0.performTime = Timestamp(seconds: 0, nanos: 2_000_000_000) }),
            ("record.crew_id", { $0.crewID = "crew 7" }),
            ("record.work_order_id", { $0.workOrderID = "CRW-" + String(repeating: "1", count: 26) }),
            ("record.next_due_date", { $0.nextDueDate = Self.date(2025, 2, 30) }),
            ("record.notes", { $0.notes = String(repeating: "x", count: 10_001) }),
        ]
        for (field, spoil) in bad {
            var record = good
            spoil(&record)
            await XCTAssertStatus(.invalidArgument, field) {
                _ = try await client.createMaintenanceRecord(.with { $0.record = record })
            }
        }
        await XCTAssertStatus(.invalidArgument, "record") { _ = try await client.createMaintenanceRecord(CreateMaintenanceRecordRequest()) }
        // A well-formed id of no asset: the referenced resource is missing.
        let missing = AssetFixtures.missingID("AST")
        await XCTAssertStatus(.failedPrecondition, "record.asset_id", missing) {
            _ = try await client.createMaintenanceRecord(.with { $0.record = .with { $0.assetID = missing; $0.kind = .repair; $0.performTime = Self.noon(2025, 5, 2) } })
        }
        // Listing: the asset is required, must exist, and the range must be ordered.
        await XCTAssertStatus(.invalidArgument, "asset_id") { _ = try await client.listMaintenanceRecords(ListMaintenanceRecordsRequest()) }
        await XCTAssertStatus(.notFound, missing) { _ = try await client.listMaintenanceRecords(.with { $0.assetID = missing }) }
        await XCTAssertStatus(.invalidArgument, "time_range.end_time") {
            _ = try await client.listMaintenanceRecords(.with {
                $0.assetID = asset
                $0.timeRange = .with { $0.startTime = Self.noon(2025, 5, 2); $0.endTime = Self.noon(2025, 5, 1) }
            })
        }
        await XCTAssertStatus(.invalidArgument, "kind") {
            _ = try await client.listMaintenanceRecords(.with { $0.assetID = asset; $0.kind = MaintenanceKind(rawValue: 9) })
        }
        // Nothing but the first record was stored.
        let history = try await client.listMaintenanceRecords(.with { $0.assetID = asset }).records
        XCTAssertEqual(history, [first])
    }

    /// An asset is due when the next_due_date of its latest record (by perform_time) is on or
    /// before due_by; RETIRED assets never are. The fixtures, worked out by hand:
    ///
    ///     asset          class         records (performed → next due)                 due date
    ///     transformer    DISTRIBUTION  01-10 → 07-10, 03-05 → 04-01 (latest)           2025-04-01
    ///     feeder         DISTRIBUTION  02-01 → 06-30                                   2025-06-30
    ///     meter          METER         03-15 → 05-15                                   2025-05-15
    ///     retired        DISTRIBUTION  01-01 → 01-01, then RETIRED                     never
    ///     followed-up    DISTRIBUTION  01-01 → 02-01, 03-01 → none (latest)            never
    ///     untouched      DISTRIBUTION  no records                                      never
    ///     later          DISTRIBUTION  03-01 → 07-01                                   2025-07-01
    ///
    /// due_by 2025-06-30 → transformer (04-01), meter (05-15), feeder (06-30, the bound is
    /// inclusive); 06-29 drops the feeder; 03-31 finds nothing; DISTRIBUTION only → transformer,
    /// feeder.
    func testDueListFollowsTheLatestRecord() async throws {
        let client = self.client
        let transformer = try await create("Transformer 3", .transformer)
        let feeder = try await create("Feeder 3", .feeder)
        let meter = try await create("Meter 3-1", .electricMeter, .meter)
        let retired = try await create("Transformer 4", .transformer)
        let followedUp = try await create("Transformer 5", .transformer)
        _ = try await create("Transformer 6", .transformer)
        let later = try await create("Transformer 7", .transformer)

        try await record(transformer, .inspection, performed: Self.noon(2025, 1, 10), nextDue: Self.date(2025, 7, 10))
        try await record(transformer, .repair, performed: Self.noon(2025, 3, 5), nextDue: Self.date(2025, 4, 1))
        try await record(feeder, .scheduled, performed: Self.noon(2025, 2, 1), nextDue: Self.date(2025, 6, 30))
        let meterRecord = try await record(meter, .inspection, performed: Self.noon(2025, 3, 15), nextDue: Self.date(2025, 5, 15))
        try await record(retired, .inspection, performed: Self.noon(2025, 1, 1), nextDue: Self.date(2025, 1, 1))
        _ = try await client.updateAsset(.with {
            $0.asset = .with { $0.assetID = retired; $0.status = .retired }
            $0.updateMask = FieldMask(paths: ["status"])
        })
        // Recorded out of order: the March visit is the latest even though it is stored first.
        try await record(followedUp, .repair, performed: Self.noon(2025, 3, 1), nextDue: nil)
        try await record(followedUp, .inspection, performed: Self.noon(2025, 1, 1), nextDue: Self.date(2025, 2, 1))
        try await record(later, .inspection, performed: Self.noon(2025, 3, 1), nextDue: Self.date(2025, 7, 1))

        func due(_ by: CalendarDate, _ assetClass: AssetClass = .unspecified) async throws -> [MaintenanceDue] {
            try await client.listAssetsDueForMaintenance(.with { $0.dueBy = by; $0.assetClass = assetClass }).due
        }
        let june30 = try await due(Self.date(2025, 6, 30))
        XCTAssertEqual(june30.map { $0.asset?.assetID ?? "" }, [transformer, meter, feeder])
        XCTAssertEqual(june30.map(\.dueDate), [Self.date(2025, 4, 1), Self.date(2025, 5, 15), Self.date(2025, 6, 30)])
        guard june30.count == 3 else { return }
        XCTAssertEqual(june30[0].lastMaintenance?.kind, .repair, "the latest record, not the earlier inspection")
        XCTAssertEqual(june30[1].lastMaintenance, meterRecord)
        XCTAssertEqual(june30[1].asset?.assetClass, .meter)
        try await XCTAssertEqualAsync(try await due(Self.date(2025, 6, 29)).map { $0.asset?.assetID ?? "" }, [transformer, meter])
        try await XCTAssertEqualAsync(try await due(Self.date(2025, 3, 31)).count, 0)
        try await XCTAssertEqualAsync(try await due(Self.date(2025, 6, 30), .distribution).map { $0.asset?.assetID ?? "" }, [transformer, feeder])
        try await XCTAssertEqualAsync(try await due(Self.date(2025, 12, 31)).map { $0.asset?.assetID ?? "" }, [transformer, meter, feeder, later])

        // Paged one at a time, soonest first, the same three.
        var paged: [String] = []
        var token = ""
        repeat {
            let page = try await client.listAssetsDueForMaintenance(.with { $0.dueBy = Self.date(2025, 6, 30); $0.pageSize = 1; $0.pageToken = token })
            paged += page.due.map { $0.asset?.assetID ?? "" }
            token = page.nextPageToken
        } while !token.isEmpty && paged.count < 10
        XCTAssertEqual(paged, [transformer, meter, feeder])

        await XCTAssertStatus(.invalidArgument, "due_by") { _ = try await client.listAssetsDueForMaintenance(ListAssetsDueForMaintenanceRequest()) }
        await XCTAssertStatus(.invalidArgument, "due_by") {
            _ = try await client.listAssetsDueForMaintenance(.with { $0.dueBy = Self.date(2025, 13, 1) })
        }
        await XCTAssertStatus(.invalidArgument, "asset_class") {
            _ = try await client.listAssetsDueForMaintenance(.with { $0.dueBy = Self.date(2025, 6, 30); $0.assetClass = AssetClass(rawValue: 77) })
        }
    }
}
