import RPCCore

/// The status a client reports when a response carries no `grpc-status` (a proxy or a broken
/// peer answered): grpc/grpc doc/http-grpc-status-mapping.md.
enum HTTPStatusMapping {
    static func statusCode(forHTTPStatus status: Int) -> StatusCode {
        switch status {
        case 400: .internal
        case 401: .unauthenticated
        case 403: .permissionDenied
        case 404: .unimplemented
        case 429, 502, 503, 504: .unavailable
        default: .unknown
        }
    }
}
