import FieldKindsTesting
import ProtoRuntime
import XCTest

/// The generated Swift API on its own: round trips through bytes and JSON, open enums,
/// names that read naturally.
final class GeneratedMessageTests: XCTestCase {
    func testEveryCaseRoundTripsThroughBytesAndJSON() throws {
        for (name, message) in FieldKindsCases.all {
            XCTAssertEqual(try FieldKinds(protobufBytes: message.protobufBytes()), message, name)
            XCTAssertEqual(try FieldKinds(jsonString: message.jsonString()), message, name)
            XCTAssertEqual(try FieldKinds(jsonString: message.jsonString(pretty: true)), message, name)
        }
    }

    func testDefaultsEncodeToNothing() {
        XCTAssertEqual(FieldKinds().protobufBytes(), [])
        XCTAssertEqual(FieldKinds().jsonString(), "{}")
    }

    func testOneofArmWithDefaultValueIsStillSent() throws {
        let message = FieldKinds.with { $0.choice = .choiceNumber(0) }
        XCTAssertEqual(message.protobufBytes(), [0xC8, 0x02, 0x00])
        XCTAssertEqual(try FieldKinds(protobufBytes: message.protobufBytes()).choice, .choiceNumber(0))
        XCTAssertEqual(message.jsonString(), #"{"choiceNumber":"0"}"#)
    }

    func testUnknownEnumValuesSurvive() throws {
        let message = FieldKinds.with { $0.fColour = .unrecognized(1234); $0.rColour = [.red, .unrecognized(-9)] }
        let decoded = try FieldKinds(protobufBytes: message.protobufBytes())
        XCTAssertEqual(decoded.fColour, .unrecognized(1234))
        XCTAssertEqual(decoded.rColour, [.red, .unrecognized(-9)])
        XCTAssertEqual(Colour(rawValue: -1), .infrared)
        XCTAssertEqual(Colour(protoName: "COLOUR_GREEN"), .green)
        XCTAssertEqual(message.jsonString(), #"{"fColour":1234,"rColour":["COLOUR_RED",-9]}"#)
    }

    func testJSONAcceptsProtoNamesNumbersAsStringsAndNulls() throws {
        let message = try FieldKinds(jsonString: """
            {"f_int32": "12", "fInt64": 7, "fUint64": "18446744073709551615", "fDouble": "NaN",
             "fFloat": "-Infinity", "fColour": 2, "fPoint": null, "fTimestamp": "2026-01-01T00:00:00Z",
             "mInt32Point": {"-3": {"x": 1}}, "mBoolString": {"true": "t"}, "wInt64": "5"}
            """)
        XCTAssertEqual(message.fInt32, 12)
        XCTAssertEqual(message.fInt64, 7)
        XCTAssertEqual(message.fUint64, .max)
        XCTAssertTrue(message.fDouble.isNaN)
        XCTAssertEqual(message.fFloat, -.infinity)
        XCTAssertEqual(message.fColour, .green)
        XCTAssertNil(message.fPoint)
        XCTAssertEqual(message.fTimestamp, Timestamp(seconds: 1_767_225_600))
        XCTAssertEqual(message.mInt32Point[-3]?.x, 1)
        XCTAssertEqual(message.mBoolString[true], "t")
        XCTAssertEqual(message.wInt64, 5)
    }

    func testLargeMessagesEncodeAndDecode() throws {
        // Tens of thousands of C allocations in one arena, and a multi-megabyte payload.
        let message = FieldKinds.with {
            $0.rPoint = (0..<20_000).map { index in Point.with { $0.x = Int32(index); $0.label = "point \(index)" } }
            $0.fBytes = [UInt8](repeating: 0xAB, count: 3 << 20)
            $0.mStringInt64 = Dictionary(uniqueKeysWithValues: (0..<5_000).map { ("key\($0)", Int64($0)) })
        }
        let bytes = message.protobufBytes()
        XCTAssertGreaterThan(bytes.count, 3 << 20)
        XCTAssertEqual(try FieldKinds(protobufBytes: bytes), message)
    }

    func testReflectionDescriptorsAreEmbedded() {
        let files = FieldKindsTestingDescriptors.filesWithDependencies.map(\.name)
        XCTAssertEqual(files.first, "quantum/testing/v1/field_kinds.proto")
        XCTAssertTrue(files.contains("google/protobuf/timestamp.proto"))
        let own = FieldKindsTestingDescriptors.files[0]
        XCTAssertTrue(own.symbols.contains("quantum.testing.v1.FieldKinds.Inner"))
        XCTAssertTrue(own.symbols.contains("quantum.testing.v1.Colour"))
        XCTAssertFalse(own.symbols.contains { $0.hasSuffix("Entry") }, "map entries are not symbols")
        // The serialized FileDescriptorProto starts with field 1 (name).
        XCTAssertEqual(own.serialized.first, 0x0A)
    }
}
