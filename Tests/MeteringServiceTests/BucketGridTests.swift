import MeteringAPI
@testable import MeteringDomain
import XCTest

/// DAY buckets step 24 hours except where the zone's offset changes; every step must be the
/// calendar's own next local midnight, across DST both ways, half-hour DST and a skipped day.
final class BucketGridTests: XCTestCase {
    func testDayStartsAreTheCalendarsLocalMidnights() throws {
        let start: Int64 = 1_293_840_000  // 2011-01-01T00:00:00Z
        let end = start + 2 * 366 * 86_400
        for zone in ["UTC", "America/Chicago", "Europe/London", "Australia/Lord_Howe", "Pacific/Apia", "Asia/Kolkata"] {
            let calendar = try LocalCalendar(timeZone: zone, field: "time_zone")
            let grid = try BucketGrid(range: SecondsRange(start: start, end: end), size: .day, calendar: calendar)
            var expected: [Int64] = []
            var cursor = calendar.startOfDay(start)
            while cursor < end {
                expected.append(cursor)
                cursor = calendar.adding(.day, 1, to: cursor)
            }
            XCTAssertEqual(grid.starts, expected, zone)
            XCTAssertEqual(grid.end, cursor, zone)
            let lengths = Set(zip(grid.starts, grid.starts.dropFirst()).map { $1 - $0 })
            if zone == "America/Chicago" { XCTAssertEqual(lengths, [82_800, 86_400, 90_000], "23- and 25-hour DST days") }
            if zone == "Pacific/Apia" { XCTAssertNotEqual(lengths, [86_400], "Samoa skipped 2011-12-30 and has DST") }
            if zone == "UTC" || zone == "Asia/Kolkata" { XCTAssertEqual(lengths, [86_400]) }
        }
    }
}
