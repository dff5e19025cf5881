import FieldKindsTesting
import Foundation
import ProtoRuntime
import XCTest

/// Our encoding (protobuf-c under generated Swift) against the reference implementation
/// (Python protobuf), both ways, for every field kind.
final class ByteCompatibilityTests: XCTestCase {
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("qe-compat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Python's bytes decode in Swift to the same value, and Swift encodes that value to the
    /// very same bytes (both sides write fields in number order and sort map keys).
    func testEveryCaseExistsOnBothSides() throws {
        let directory = try temporaryDirectory()
        let result = try ReferencePeer.runScript("field_kinds_compat.py", ["encode", directory.path])
        XCTAssertEqual(result.status, 0, result.output)
        let written = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".bin") }.map { String($0.dropLast(4)) }
        XCTAssertEqual(Set(written), Set(FieldKindsCases.all.keys))
    }

    func testReferenceBytesDecodeToEqualValuesAndReencodeIdentically() throws {
        let directory = try temporaryDirectory()
        let result = try ReferencePeer.runScript("field_kinds_compat.py", ["encode", directory.path])
        XCTAssertEqual(result.status, 0, result.output)
        let cases = FieldKindsCases.all
        for (name, expected) in cases.sorted(by: { $0.key < $1.key }) {
            let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent("\(name).bin")))
            let decoded = try FieldKinds(protobufBytes: bytes)
            XCTAssertEqual(decoded, expected, "case \(name): Python's bytes decode to a different value")
            // Map entries are the one place the encoders legitimately differ: the reference writes
            // an entry's default key/value explicitly, protobuf-c omits it (both decode alike).
            if expected.mStringInt64.isEmpty && expected.mInt32Point.isEmpty && expected.mBoolString.isEmpty && expected.mUint64Colour.isEmpty {
                XCTAssertEqual(expected.protobufBytes(), bytes, "case \(name): our bytes differ from Python's")
            }

            let json = try String(contentsOf: directory.appendingPathComponent("\(name).json"), encoding: .utf8)
            XCTAssertEqual(try FieldKinds(jsonString: json), expected, "case \(name): Python's JSON reads as a different value")
        }
    }

    /// Swift's bytes and JSON decode in Python to the same values.
    func testOurBytesAndJSONDecodeInTheReferenceImplementation() throws {
        let directory = try temporaryDirectory()
        for (name, message) in FieldKindsCases.all {
            try Data(message.protobufBytes()).write(to: directory.appendingPathComponent("\(name).bin"))
            try message.jsonString(pretty: true).write(to: directory.appendingPathComponent("\(name).json"), atomically: true, encoding: .utf8)
        }
        let result = try ReferencePeer.runScript("field_kinds_compat.py", ["check", directory.path])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("0 mismatches"), result.output)
    }
}
