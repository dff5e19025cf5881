import NIOHTTP1
import RPCCore

/// The HTTP status for a gRPC status code, as google.rpc.Code documents it (and grpc-gateway
/// and Google's JSON APIs answer).
enum HTTPStatusMapping {
    static func status(for code: StatusCode) -> HTTPResponseStatus {
        switch code {
        case .ok: .ok
        case .cancelled: .custom(code: 499, reasonPhrase: "Client Closed Request")
        case .invalidArgument, .failedPrecondition, .outOfRange: .badRequest
        case .deadlineExceeded: .gatewayTimeout
        case .notFound: .notFound
        case .alreadyExists, .aborted: .conflict
        case .permissionDenied: .forbidden
        case .unauthenticated: .unauthorized
        case .resourceExhausted: .tooManyRequests
        case .unimplemented: .notImplemented
        case .unavailable: .serviceUnavailable
        case .unknown, .internal, .dataLoss: .internalServerError
        }
    }
}
