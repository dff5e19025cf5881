import RPCCore

/// Converting between `Metadata` and HTTP/2 header fields: `-bin` values in base64, reserved
/// names kept out of user metadata in both directions.
enum MetadataCoding {
    /// Whether a header is transport-owned and never part of user metadata.
    static func isReserved(_ name: String) -> Bool {
        if name.hasPrefix(":") { return true }
        if name.hasPrefix("grpc-") {
            // Rich error details and retry pushback are set by applications, not the transport.
            return name != "grpc-status-details-bin" && name != "grpc-retry-pushback-ms"
        }
        switch name {
        case "te", "content-type", "user-agent", "connection", "keep-alive", "proxy-connection",
             "transfer-encoding", "upgrade", "host":
            return true
        default:
            return false
        }
    }

    /// Header names must be lower-case `[0-9a-z_.-]`.
    static func isValidKey(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
    }

    static func isValidASCIIValue(_ value: String) -> Bool {
        value.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E }
    }

    /// Appends user metadata to an outgoing header block, dropping reserved names and values
    /// that could not be sent legally.
    static func append(_ metadata: Metadata, to block: inout HeaderBlock) {
        for entry in metadata where !isReserved(entry.key) && isValidKey(entry.key) {
            switch entry.value {
            case .string(let value):
                if isValidASCIIValue(value) { block.add(entry.key, value) }
            case .binary(let bytes):
                block.add(entry.key, BinaryHeaderValue.encode(bytes))
            }
        }
    }

    /// Adds one received non-reserved header to `metadata` (a `-bin` value may hold several
    /// comma-separated base64 values). Undecodable binary values are dropped.
    static func appendReceived(name: String, value: String, to metadata: inout Metadata) {
        guard Metadata.isBinaryKey(name) else {
            metadata.add(Metadata.Entry(key: name, value: .string(value)))
            return
        }
        guard let values = BinaryHeaderValue.decodeList(value) else { return }
        for bytes in values { metadata.add(Metadata.Entry(key: name, value: .binary(bytes))) }
    }
}
