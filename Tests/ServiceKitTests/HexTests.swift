import Foundation
import ServiceKit
import XCTest

final class HexTests: XCTestCase {
    /// Page tokens already handed out carry fingerprints made with `String(format: "%02x")`:
    /// the fast encoding must give the very same text for every byte.
    func testEveryByteMatchesTheFormatEncoding() {
        let bytes = (0...255).map(UInt8.init) + [0x00, 0xff, 0x10, 0x01]
        XCTAssertEqual(bytes.lowercaseHex, bytes.map { String(format: "%02x", $0) }.joined())
        XCTAssertEqual([UInt8]().lowercaseHex, "")
        XCTAssertEqual([0xde, 0xad, 0xbe, 0xef].lowercaseHex, "deadbeef")
    }
}
