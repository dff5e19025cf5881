import FinanceAPI
import FinanceDomain
import Foundation
import ProtoRuntime
import QuantumTypes
import RPCCore
import ServiceKit
import XCTest

/// A migrated store in a fresh temp dir and the operations over it.
struct FinanceHarness {
    let path: String
    let store: SQLiteStore
    let operations: FinanceOperations

    static func make() async throws -> FinanceHarness {
        let path = NSTemporaryDirectory() + "finance-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let store = try await SQLiteStore.open(path: path + "/finance.sqlite3", schema: FinanceSchema.schema)
        let pages = PageTokenCodec(secret: Array("finance-tests-page-token-secret".utf8))
        return FinanceHarness(path: path, store: store, operations: FinanceOperations(store: store, pages: pages))
    }

    func close() async {
        await store.close()
        try? FileManager.default.removeItem(atPath: path)
    }

    func count(_ table: String) async throws -> Int64 {
        // Test-only: the table name is a literal of the test itself.
        try await store.read { db in try db.scalar("SELECT COUNT(*) FROM \(table)", as: Int64.self) ?? 0 }
    }
}

/// Valid resources to start from; tests change one thing at a time.
enum Fixtures {
    static let account = "ACC-" + String(repeating: "1", count: 26)
    static let otherAccount = "ACC-" + String(repeating: "2", count: 26)

    static func missingID(_ prefix: String) -> String { prefix + "-" + String(repeating: "0", count: 26) }

    static func date(_ year: Int32, _ month: Int32, _ day: Int32) -> CalendarDate {
        .with { $0.year = year; $0.month = month; $0.day = day }
    }

    static func range(_ start: CalendarDate, _ end: CalendarDate?) -> DateRange {
        .with { $0.startDate = start; $0.endDate = end }
    }

    static func usd(_ minorUnits: Int64) -> Money { .with { $0.currencyCode = "USD"; $0.minorUnits = minorUnits } }

    /// `microMinor` millionths of a cent per kWh.
    static func price(_ microMinor: Int64) -> EnergyPrice { .with { $0.currencyCode = "USD"; $0.microMinorUnits = microMinor; $0.unit = .kwh } }

    static func kwh(milli: Int64) -> EnergyQuantity { .with { $0.milliValue = milli; $0.unit = .kwh } }

    /// A UTC tariff, in effect from 2025-01-01, with the given energy charge.
    static func tariff(_ charge: Tariff.EnergyCharge, fixed: Int64? = 1000) -> Tariff {
        .with {
            $0.displayName = "E-1 Residential"
            $0.commodity = .electric
            $0.currencyCode = "USD"
            $0.timeZone = "UTC"
            $0.effectiveDates = range(date(2025, 1, 1), nil)
            $0.approvalReference = "CPUC D.24-12-015"
            $0.jurisdiction = "US-CA"
            $0.regulatoryScope = .regulated
            $0.fixedMonthlyCharge = fixed.map(usd)
            $0.unit = .kwh
            $0.energyCharge = charge
        }
    }

    static func flat(_ microMinor: Int64) -> Tariff.EnergyCharge { .flatRate(.with { $0.price = price(microMinor) }) }

    /// Blocks [0, 400) and [400, ∞) kWh.
    static let twoTiers = Tariff.EnergyCharge.tieredRate(.with {
        $0.tiers = [
            .with { $0.fromQuantity = kwh(milli: 0); $0.toQuantity = kwh(milli: 400_000); $0.price = price(25_000_000) },
            .with { $0.fromQuantity = kwh(milli: 400_000); $0.price = price(35_000_000) },
        ]
    })

    /// on_peak Monday–Friday 16:00–21:00, off_peak every other hour.
    static let peakAndOffPeak: Tariff.EnergyCharge = .timeOfUseRate(.with {
        let weekdays: [DayOfWeek] = [.monday, .tuesday, .wednesday, .thursday, .friday]
        $0.periods = [
            period("on_peak", weekdays, 16, 21, 40_000_000),
            period("off_peak", weekdays, 0, 16, 20_000_000),
            period("off_peak_evening", weekdays, 21, 24, 20_000_000),
            period("weekend", [.saturday, .sunday], 0, 24, 15_000_000),
        ]
    })

    static func period(_ name: String, _ days: [DayOfWeek], _ start: Int32, _ end: Int32, _ microMinor: Int64) -> TimeOfUsePeriod {
        .with { $0.periodName = name; $0.days = days; $0.startHour = start; $0.endHour = end; $0.price = price(microMinor) }
    }

    /// One interval of `hours` hours from `start` (seconds since 1970) with `milli` milli-kWh.
    static func usage(at start: Int64, hours: Int64 = 1, milli: Int64) -> UsageInterval {
        .with {
            $0.startTime = Timestamp(seconds: start)
            $0.length = ProtoDuration(seconds: hours * 3600)
            $0.energy = kwh(milli: milli)
        }
    }

    /// 2025-03-03 00:00 UTC, a Monday.
    static let mondayMarch3: Int64 = 1_740_960_000

    static let march2025 = range(date(2025, 3, 1), date(2025, 3, 31))

    static func transaction(_ type: TransactionType, _ minorUnits: Int64, account: String = account) -> FinancialTransaction {
        .with {
            $0.accountID = account
            $0.transactionType = type
            $0.amount = usd(minorUnits)
            $0.regulatoryScope = .regulated
        }
    }
}

/// Asserts that `body` throws a status with `code` whose message contains `fragment`.
@discardableResult
func assertStatus<T>(
    _ code: StatusCode, _ fragment: String? = nil, file: StaticString = #filePath, line: UInt = #line, _ body: () async throws -> T
) async -> String {
    do {
        _ = try await body()
        XCTFail("expected \(code.name), but the call succeeded", file: file, line: line)
        return ""
    } catch {
        let status = RPCError(from: error)
        XCTAssertEqual(status.code, code, "unexpected status: \(status)", file: file, line: line)
        if let fragment {
            XCTAssertTrue(status.message.contains(fragment), "'\(status.message)' does not mention '\(fragment)'", file: file, line: line)
        }
        return status.message
    }
}
