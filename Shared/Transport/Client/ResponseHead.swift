import RPCCore

/// A response HEADERS block (headers, Trailers-Only, or trailers), collected field by field.
struct ResponseHead {
    var httpStatus: Int?
    var contentType: String?
    var encoding: String?
    var grpcStatus: String?
    var grpcMessage: String?
    var pushback: String?
    var metadata = Metadata()

    mutating func add(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        let name = String(decoding: name, as: UTF8.self)
        let value = String(decoding: value, as: UTF8.self)
        switch name {
        case ":status": httpStatus = Int(value)
        case "content-type": contentType = value
        case "grpc-encoding": encoding = value
        case "grpc-status": grpcStatus = value
        case "grpc-message": grpcMessage = value
        case "grpc-retry-pushback-ms": pushback = value
        default:
            if !MetadataCoding.isReserved(name) {
                MetadataCoding.appendReceived(name: name, value: value, to: &metadata)
            }
        }
    }

    /// The call's status from this block: `grpc-status` if present, else derived from the HTTP
    /// status (a proxy or broken peer answered).
    var status: Status {
        if let grpcStatus {
            return Status(code: StatusCode(wireValue: grpcStatus), message: grpcMessage.map(PercentEncoding.decode) ?? "")
        }
        guard let httpStatus, httpStatus != 200 else {
            return Status(code: .internal, message: "server closed the stream without grpc-status")
        }
        return Status(
            code: HTTPStatusMapping.statusCode(forHTTPStatus: httpStatus),
            message: "HTTP status \(httpStatus) without grpc-status")
    }

    /// `grpc-retry-pushback-ms`: nil when absent, negative when the server says "do not retry".
    var pushbackDelay: Duration? {
        guard let pushback else { return nil }
        guard let ms = Int64(pushback), ms >= 0 else { return .milliseconds(-1) }
        return .milliseconds(ms)
    }
}
