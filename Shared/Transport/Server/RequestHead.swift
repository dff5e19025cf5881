import RPCCore

/// The request HEADERS of one stream, collected field by field as nghttp2 reports them.
struct RequestHead {
    var method: String?
    var path: String?
    var contentType: String?
    var timeout: String?
    var encoding: String?
    var acceptEncoding: String?
    var metadata = Metadata()
    /// Bytes counted as HTTP/2 does for SETTINGS_MAX_HEADER_LIST_SIZE (name + value + 32 each).
    private(set) var listSize = 0
    private(set) var tooLarge = false

    /// Records one field; returns false once the list exceeds `limit`.
    mutating func add(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>, limit: Int) -> Bool {
        listSize += name.count + value.count + 32
        guard listSize <= limit else {
            tooLarge = true
            return false
        }
        let name = String(decoding: name, as: UTF8.self)
        let value = String(decoding: value, as: UTF8.self)
        switch name {
        case ":method": method = value
        case ":path": path = value
        case "content-type": contentType = value
        case "grpc-timeout": timeout = value
        case "grpc-encoding": encoding = value
        case "grpc-accept-encoding": acceptEncoding = value
        default:
            if !MetadataCoding.isReserved(name) {
                MetadataCoding.appendReceived(name: name, value: value, to: &metadata)
            }
        }
        return true
    }

    /// The compression the client accepts for responses, among the ones we support.
    func acceptedEncodings() -> [CompressionAlgorithm] {
        guard let acceptEncoding else { return [] }
        return acceptEncoding.split(separator: ",").compactMap {
            CompressionAlgorithm(rawValue: $0.trimmingCharacters(in: " "))
        }
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        var s = self
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}
