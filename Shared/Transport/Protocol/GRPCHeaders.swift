import RPCCore

/// Header names and values of the gRPC-over-HTTP/2 protocol (grpc/grpc doc/PROTOCOL-HTTP2.md).
enum GRPCHeaders {
    static let contentType = "application/grpc"
    static let userAgent = "grpc-swift-quantum/1.0"

    /// `application/grpc`, `application/grpc+proto`, `application/grpc;...` are all gRPC.
    static func isGRPCContentType(_ value: String?) -> Bool {
        guard let value, value.hasPrefix(contentType) else { return false }
        let rest = value.utf8.dropFirst(contentType.utf8.count)
        guard let next = rest.first else { return true }
        return next == UInt8(ascii: "+") || next == UInt8(ascii: ";")
    }

    /// The algorithms we can decode, as sent in `grpc-accept-encoding`.
    static let supportedEncodings: [CompressionAlgorithm] = [.identity, .deflate, .gzip]
    static let acceptEncodingValue = supportedEncodings.map(\.name).joined(separator: ",")

    /// Parses `grpc-encoding`; nil for an algorithm we do not support.
    static func encoding(named name: String) -> CompressionAlgorithm? {
        CompressionAlgorithm(rawValue: name)
    }

    /// Trailers (or Trailers-Only headers) carrying a status.
    static func appendStatus(_ status: Status, trailers: Metadata, to block: inout HeaderBlock) {
        block.add("grpc-status", String(status.code.rawValue))
        if !status.message.isEmpty {
            block.add("grpc-message", PercentEncoding.encode(status.message))
        }
        MetadataCoding.append(trailers, to: &block)
    }
}
