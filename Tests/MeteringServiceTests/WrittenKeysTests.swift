@testable import MeteringDomain
import XCTest

/// The run-based memory of a stream's reading keys answers exactly like a plain hash table,
/// for in-order streams (its fast path) and for keys in any order.
final class WrittenKeysTests: XCTestCase {
    private func key(_ meter: Int64, _ start: Int64, channel: Int32 = 1, kind: Int32 = 1) -> ReadingKey {
        ReadingKey(meterSeq: meter, kind: kind, startSeconds: start, channel: channel)
    }

    private func wrote(_ value: Int64) -> RowFingerprint { RowFingerprint(value: value, detail: 1) }

    func testInOrderKeysAreNewOnceAndThenAnswerWithWhatWasWritten() {
        var keys = WrittenReadingKeys()
        for start in stride(from: Int64(0), to: 96 * 900, by: 900) {
            XCTAssertNil(keys.claim(key(7, start), wrote(start)))
        }
        XCTAssertEqual(keys.claim(key(7, 900), wrote(5)), wrote(900), "a replay sees the first write, and changes nothing")
        XCTAssertEqual(keys.claim(key(7, 900), wrote(6)), wrote(900))
        XCTAssertNil(keys.claim(key(7, 450), wrote(1)), "between two starts of a run: a new key")
        XCTAssertEqual(keys.claim(key(7, 450), wrote(2)), wrote(1))
        XCTAssertNil(keys.claim(key(7, 900, channel: 2), wrote(1)), "another channel is another series")
        XCTAssertNil(keys.claim(key(8, 900), wrote(1)), "another meter point is another series")
        XCTAssertNil(keys.claim(key(7, 900, kind: 2), wrote(1)), "another kind is another series")
    }

    func testForgottenKeysAreNewAgain() {
        var keys = WrittenReadingKeys()
        for start: Int64 in [0, 900, 1800, 5] { XCTAssertNil(keys.claim(key(1, start), wrote(start))) }
        keys.forget(key(1, 900))
        keys.forget(key(1, 5))
        XCTAssertNil(keys.claim(key(1, 900), wrote(42)))
        XCTAssertEqual(keys.claim(key(1, 900), wrote(0)), wrote(42))
        XCTAssertNil(keys.claim(key(1, 5), wrote(43)))
        XCTAssertEqual(keys.claim(key(1, 1800), wrote(0)), wrote(1800))
    }

    func testAnyOrderAnswersLikeAHashTable() {
        var generator = SplitMix(seed: 6)
        for round in 0..<20 {
            var runs = WrittenReadingKeys()
            var table = HashedWrittenKeys<ReadingKey>()
            for step in 0..<3000 {
                // Mostly ascending 15-minute starts with jumps, reversals and repeats, over a few series.
                let start = Int64(generator.next() % 400) * (generator.next() % 5 == 0 ? 300 : 900)
                let probe = key(Int64(generator.next() % 3), start, channel: Int32(generator.next() % 2) + 1)
                if generator.next() % 10 == 0 {
                    runs.forget(probe)
                    table.forget(probe)
                } else {
                    let fingerprint = wrote(Int64(generator.next() % 4))
                    XCTAssertEqual(
                        runs.claim(probe, fingerprint), table.claim(probe, fingerprint), "round \(round), step \(step), \(probe)")
                }
            }
        }
    }

    func testDescendingStartsStayCorrect() {
        var keys = WrittenReadingKeys()
        for start in stride(from: Int64(5000 * 900), through: 0, by: -900) { XCTAssertNil(keys.claim(key(1, start), wrote(start))) }
        for start in stride(from: Int64(0), through: 5000 * 900, by: 900 * 7) {
            XCTAssertEqual(keys.claim(key(1, start), wrote(-1)), wrote(start))
        }
    }
}

/// A small deterministic generator (SplitMix64), so a failure reproduces.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
