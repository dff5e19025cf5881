import ServiceKit
import Synchronization
import XCTest

final class ResourceIDTests: XCTestCase {
    func testIDsHaveThePrefixAndAFixedShape() {
        let id = ResourceID.make("CUS")
        XCTAssertTrue(id.hasPrefix("CUS-"))
        XCTAssertEqual(id.count, 4 + 26)
        XCTAssertTrue(ResourceID.isWellFormed(id, prefix: "CUS"))
        XCTAssertFalse(ResourceID.isWellFormed(id, prefix: "ACC"))
        XCTAssertFalse(ResourceID.isWellFormed("CUS-123", prefix: "CUS"))
        XCTAssertFalse(ResourceID.isWellFormed(id.lowercased(), prefix: "CUS"))
        XCTAssertFalse(ResourceID.isWellFormed(String(id.dropLast()) + "U", prefix: "CUS"), "U is not in the alphabet")
    }

    func testIDsSortInCreationOrderEvenWithinOneMillisecond() {
        let generator = ResourceIDGenerator(clock: { 1_700_000_000_000 })
        let ids = (0..<5000).map { _ in generator.make(prefix: "TXN") }
        XCTAssertEqual(ids, ids.sorted())
        XCTAssertEqual(Set(ids).count, ids.count)
    }

    func testIDsStayOrderedWhenTheClockStepsBack() {
        let now = Mutex<UInt64>(2_000_000_000_000)
        let generator = ResourceIDGenerator(clock: { now.withLock { $0 } })
        let first = generator.make(prefix: "X")
        now.withLock { $0 -= 5000 }
        let second = generator.make(prefix: "X")
        now.withLock { $0 += 10000 }
        let third = generator.make(prefix: "X")
        XCTAssertLessThan(first, second)
        XCTAssertLessThan(second, third)
    }

    func testLaterMillisecondsSortLater() {
        let a = ResourceIDGenerator(clock: { 1_000 }).make(prefix: "A")
        let b = ResourceIDGenerator(clock: { 1_001 }).make(prefix: "A")
        XCTAssertLessThan(a, b)
    }

    func testConcurrentCallersGetDistinctIDs() async {
        let ids = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<8 { group.addTask { (0..<1000).map { _ in ResourceID.make("CUS") } } }
            var all: [String] = []
            for await batch in group { all += batch }
            return all
        }
        XCTAssertEqual(Set(ids).count, 8000)
    }
}
