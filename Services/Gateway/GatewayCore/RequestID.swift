import Foundation

/// Fresh `x-request-id` values: random (version 4) UUIDs in lower case.
///
/// Not `UUID()`: on Linux, Foundation's `UUID()` opens, reads and closes `/dev/urandom` on
/// every call, three system calls per overview on the gateway's event loop. The standard
/// library's generator asks the kernel once (`getrandom`) and needs no file descriptor.
public enum RequestID {
    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return make(high: generator.next(), low: generator.next())
    }

    /// The UUID whose 128 bits are `high` then `low`, with the version (4) and variant (RFC
    /// 9562) bits set: what a random UUID looks like to anyone parsing it.
    public static func make(high: UInt64, low: UInt64) -> String {
        let versioned = (high & ~0xF000) | 0x4000
        let varianted = (low & ~(0xC000_0000_0000_0000 as UInt64)) | 0x8000_0000_0000_0000
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<8 {
            bytes[index] = UInt8(truncatingIfNeeded: versioned >> (56 - 8 * UInt64(index)))
            bytes[8 + index] = UInt8(truncatingIfNeeded: varianted >> (56 - 8 * UInt64(index)))
        }
        let uuid = UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                               bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        return uuid.uuidString.lowercased()
    }
}
