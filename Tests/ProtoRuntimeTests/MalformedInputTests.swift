import FieldKindsTesting
import ProtoRuntime
import FuzzSupport
import XCTest

/// Decoding hostile bytes returns an error (or some value), never a crash.
final class MalformedInputTests: XCTestCase {
    func testTruncatedMessagesAreErrors() throws {
        let full = FieldKindsCases.all["scalars"]!.protobufBytes()
        var errors = 0
        for length in 0..<full.count {
            do { _ = try FieldKinds(protobufBytes: Array(full[0..<length])) } catch is ProtoDecodingError { errors += 1 }
        }
        // Most prefixes cut a field in half; those must be rejected, not misread.
        XCTAssertGreaterThan(errors, full.count / 2)
    }

    func testKnownBadInputs() {
        let bad: [[UInt8]] = [
            [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F],      // length-delimited field claiming 4 GiB
            [0x08],                                      // varint tag with no value
            [0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],  // 11-byte varint
            [0x93, 0x01, 0x00],                          // field 18 (message) as a varint? wire type 3 (group start)
            [0x92, 0x01, 0x05, 0x08],                    // sub-message claiming 5 bytes, 1 present
        ]
        for bytes in bad {
            XCTAssertThrowsError(try FieldKinds(protobufBytes: bytes), "\(bytes) should not decode")
        }
    }

    func testRandomBytesNeverCrash() {
        var generator = SplitMix64(seed: 0x5EED)
        var decoded = 0
        for _ in 0..<20_000 {
            let count = Int(generator.next() % 64)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            if (try? FieldKinds(protobufBytes: bytes)) != nil { decoded += 1 }
        }
        // Some random inputs are valid protobuf; the point is that none crashed.
        XCTAssertLessThan(decoded, 20_000)
    }

    func testMalformedJSONIsAnErrorNamingTheField() {
        XCTAssertThrowsError(try FieldKinds(jsonString: #"{"fInt32": "twelve"}"#)) { error in
            XCTAssertTrue("\(error)".contains("f_int32"), "\(error)")
        }
        XCTAssertThrowsError(try FieldKinds(jsonString: #"{"noSuchField": 1}"#))
        XCTAssertThrowsError(try FieldKinds(jsonString: #"{"fInt32": 1"#))
        XCTAssertThrowsError(try FieldKinds(jsonString: #"{"fInt32": 3000000000}"#))
        XCTAssertThrowsError(try FieldKinds(jsonString: #"{"fColour": "COLOUR_PURPLE"}"#))
        XCTAssertThrowsError(try FieldKinds(jsonString: String(repeating: "[", count: 10_000)))
    }
}
