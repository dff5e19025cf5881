import CNGHTTP2

/// Header fields being prepared for nghttp2: names and values packed into one byte array so
/// a whole block costs two allocations, handed over as an `nghttp2_nv` array (nghttp2 copies
/// them on submit, so the storage only has to outlive the submit call).
struct HeaderBlock {
    private var bytes: [UInt8] = []
    private var fields: [(nameStart: Int, nameCount: Int, valueStart: Int, valueCount: Int)] = []

    init(capacity: Int = 8) {
        bytes.reserveCapacity(capacity * 32)
        fields.reserveCapacity(capacity)
    }

    var count: Int { fields.count }

    mutating func add(_ name: String, _ value: String) {
        let nameStart = bytes.count
        bytes.append(contentsOf: name.utf8)
        let valueStart = bytes.count
        bytes.append(contentsOf: value.utf8)
        fields.append((nameStart, valueStart - nameStart, valueStart, bytes.count - valueStart))
    }

    /// Calls `body` with an nv array valid only during the call.
    func withNVArray<R>(_ body: (UnsafePointer<nghttp2_nv>, Int) -> R) -> R {
        var bytes = bytes  // a mutable copy-on-write reference: nghttp2_nv wants mutable pointers
        return bytes.withUnsafeMutableBufferPointer { storage in
            let base = storage.baseAddress ?? UnsafeMutablePointer<UInt8>.allocate(capacity: 0)
            defer { if storage.baseAddress == nil { base.deallocate() } }
            return withUnsafeTemporaryAllocation(of: nghttp2_nv.self, capacity: max(fields.count, 1)) { nva in
                for (index, field) in fields.enumerated() {
                    nva[index] = nghttp2_nv(
                        name: base + field.nameStart, value: base + field.valueStart,
                        namelen: field.nameCount, valuelen: field.valueCount,
                        flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue))
                }
                return body(UnsafePointer(nva.baseAddress!), fields.count)
            }
        }
    }
}
