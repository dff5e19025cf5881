import ProtoRuntime
import FuzzSupport
import XCTest

/// The text forms of Timestamp, Duration and bytes that proto3 JSON prescribes.
final class WellKnownTextTests: XCTestCase {
    func testTimestampFormatting() {
        XCTAssertEqual(RFC3339.format(Timestamp(seconds: 0)), "1970-01-01T00:00:00Z")
        XCTAssertEqual(RFC3339.format(Timestamp(seconds: 1_767_225_600, nanos: 500_000_000)), "2026-01-01T00:00:00.500Z")
        XCTAssertEqual(RFC3339.format(Timestamp(seconds: 951_782_400, nanos: 1_000)), "2000-02-29T00:00:00.000001Z")
        XCTAssertEqual(RFC3339.format(Timestamp(seconds: -1, nanos: 1)), "1969-12-31T23:59:59.000000001Z")
        XCTAssertEqual(RFC3339.format(Timestamp(seconds: -62_135_596_800)), "0001-01-01T00:00:00Z")
        XCTAssertEqual(RFC3339.format(Timestamp(seconds: 253_402_300_799, nanos: 999_999_999)), "9999-12-31T23:59:59.999999999Z")
    }

    func testTimestampParsing() {
        XCTAssertEqual(RFC3339.parse("2026-01-01T00:00:00.5Z"), Timestamp(seconds: 1_767_225_600, nanos: 500_000_000))
        XCTAssertEqual(RFC3339.parse("2026-01-01T01:30:00+01:30"), Timestamp(seconds: 1_767_225_600))
        XCTAssertEqual(RFC3339.parse("2025-12-31T19:00:00-05:00"), Timestamp(seconds: 1_767_225_600))
        XCTAssertEqual(RFC3339.parse("2000-02-29T00:00:00Z"), Timestamp(seconds: 951_782_400))
        for bad in ["2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01 00:00:00Z", "2026-01-01T00:00:00",
                    "2026-01-01T24:00:00Z", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567890Z", "", "yesterday"] {
            XCTAssertNil(RFC3339.parse(bad), bad)
        }
    }

    func testTimestampRoundTripsAcrossCenturies() {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<2_000 {
            let seconds = Int64(bitPattern: generator.next() % 315_537_897_600) - 62_135_596_800
            let timestamp = Timestamp(seconds: seconds, nanos: Int32(generator.next() % 1_000_000_000))
            XCTAssertEqual(RFC3339.parse(RFC3339.format(timestamp)), timestamp)
        }
    }

    func testDurationText() {
        XCTAssertEqual(DurationText.format(ProtoDuration(seconds: 1, nanos: 500_000_000)), "1.500s")
        XCTAssertEqual(DurationText.format(ProtoDuration(seconds: 0, nanos: -1_000)), "-0.000001s")
        XCTAssertEqual(DurationText.format(ProtoDuration(seconds: 3)), "3s")
        XCTAssertEqual(DurationText.parse("-1.5s"), ProtoDuration(seconds: -1, nanos: -500_000_000))
        XCTAssertEqual(DurationText.parse("0.000000001s"), ProtoDuration(seconds: 0, nanos: 1))
        for bad in ["1.5", "s", "1.s", "abc s", "1.0000000001s", "+1s"] { XCTAssertNil(DurationText.parse(bad), bad) }
    }

    func testBase64AcceptsEveryFormGRPCMetadataUses() {
        let bytes: [UInt8] = [0xFB, 0xFF, 0x01]
        XCTAssertEqual(Base64.encode(bytes), "+/8B")
        XCTAssertEqual(Base64.decode("+/8B"), bytes)
        XCTAssertEqual(Base64.decode("-_8B"), bytes)  // URL-safe alphabet
        XCTAssertEqual(Base64.decode("AQ"), [1])      // unpadded
        XCTAssertEqual(Base64.decode("AQ=="), [1])    // padded
        XCTAssertNil(Base64.decode("A*=="))
        // "AR" carries the same byte as "AQ" plus non-zero unused bits: only canonical text is
        // accepted where text is signed or compared.
        XCTAssertEqual(Base64.decode("AR"), [1])
        XCTAssertNil(Base64.decode("AR", canonical: true))
        XCTAssertEqual(Base64.decode("AQ", canonical: true), [1])
        XCTAssertEqual(Base64.encode([0xFB, 0xFF], padded: false, urlSafe: true), "-_8")
        XCTAssertNil(Base64.decode("AQ==AQ=="))
        var generator = SplitMix64(seed: 11)
        for length in 0..<64 {
            let data = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            XCTAssertEqual(Base64.decode(Base64.encode(data)), data)
        }
    }
}
