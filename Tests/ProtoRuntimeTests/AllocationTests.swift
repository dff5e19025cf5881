import CHeapProbe
import FieldKindsTesting
import ProtoRuntime
import XCTest

/// Every C allocation made while encoding (the arena) and decoding (protobuf-c's unpack) is
/// freed: heap in use is flat across thousands of round trips.
final class AllocationTests: XCTestCase {
    private func heapInUse() -> Int { Int(qe_heap_bytes_in_use()) }

    func testRoundTripsDoNotGrowTheHeap() throws {
        let cases = FieldKindsCases.all.values.sorted { $0.protobufBytes().count < $1.protobufBytes().count }
        func cycle() throws {
            for message in cases {
                let bytes = message.protobufBytes()
                _ = try FieldKinds(protobufBytes: bytes)
                _ = try? FieldKinds(protobufBytes: Array(bytes.dropLast()))  // the failure path too
            }
        }
        for _ in 0..<200 { try cycle() }  // warm up caches and lazily created globals
        let before = heapInUse()
        for _ in 0..<3_000 { try cycle() }
        let growth = heapInUse() - before
        XCTAssertLessThan(growth, 256 * 1024, "heap grew by \(growth) bytes over 3,000 cycles of \(cases.count) messages")
    }
}
