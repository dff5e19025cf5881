import GatewayCore
import XCTest

/// The remembered overview ids: per caller and customer, expiring, bounded.
final class OverviewKeyCacheTests: XCTestCase {
    private let keys = OverviewKeys(accountIDs: ["ACC-1", "ACC-2", "ACC-1", ""], premiseIDs: ["PRM-1"])

    func testKeysAreUniqueInFirstSeenOrder() {
        XCTAssertEqual(keys.accountIDs, ["ACC-1", "ACC-2"])
    }

    func testEntriesAreKeptPerCallerAndCustomer() {
        let cache = OverviewKeyCache()
        let ana = OverviewKeyCache.Key(caller: "Bearer a", customerID: "CUS-1")
        cache.remember(keys, for: ana)
        XCTAssertEqual(cache.keys(for: ana), keys)
        XCTAssertNil(cache.keys(for: .init(caller: "Bearer b", customerID: "CUS-1")), "another caller's ids are never used")
        XCTAssertNil(cache.keys(for: .init(caller: "Bearer a", customerID: "CUS-2")))
        cache.forget(ana)
        XCTAssertNil(cache.keys(for: ana))
    }

    func testEntriesExpire() {
        let cache = OverviewKeyCache(timeToLive: .seconds(60))
        let key = OverviewKeyCache.Key(caller: "", customerID: "CUS-1")
        let start = ContinuousClock.now
        cache.remember(keys, for: key, now: start)
        XCTAssertEqual(cache.keys(for: key, now: start + .seconds(59)), keys)
        XCTAssertNil(cache.keys(for: key, now: start + .seconds(60)))
        XCTAssertEqual(cache.count, 0, "an expired entry is dropped when found")
    }

    func testSizeIsBoundedAndRecentlyUsedEntriesSurvive() {
        let cache = OverviewKeyCache(generationCapacity: 100)
        let kept = OverviewKeyCache.Key(caller: "", customerID: "CUS-kept")
        cache.remember(keys, for: kept)
        for index in 0..<1_000 {
            cache.remember(keys, for: .init(caller: "", customerID: "CUS-\(index)"))
            if index % 50 == 0 { XCTAssertNotNil(cache.keys(for: kept), "used every 50 inserts: never the oldest") }
            XCTAssertLessThanOrEqual(cache.count, 200)
        }
        XCTAssertNotNil(cache.keys(for: kept))
        XCTAssertNil(cache.keys(for: .init(caller: "", customerID: "CUS-0")), "unused and 999 inserts old")
    }
}
