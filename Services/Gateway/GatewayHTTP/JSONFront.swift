import GatewayAPI
import GatewayCore
import NIOHTTP1
import ProtoRuntime
import RPCCore
import ServiceKit
import Synchronization
import Transport

/// The gateway's HTTP/1.1 JSON front on its admin port, for curl users (`JSONRoutes` lists the
/// routes). Each request becomes a call to the gateway's own gRPC port over loopback, carrying
/// the caller's `authorization`, `x-request-id`, `traceparent` and `tracestate`; so the token
/// and scope checks, the separation policy, metrics, logs and deadlines are exactly those of a
/// gRPC caller. The answer is the response message in the proto3 JSON mapping; a failure is
/// `{"error": {"code": <HTTP status>, "status": "NOT_FOUND", "message": …}}` with the HTTP status
/// google.rpc.Code documents for it.
public final class JSONFront: AdminAPI {
    public let pathPrefix = JSONRoutes.prefix
    /// Where the gRPC port is reached from this process (a wildcard bind is reached on loopback).
    private let host: String
    private let channel = Mutex<(port: Int, client: GatewayServiceClient, channel: GRPCChannel)?>(nil)

    public init(grpcHost: String) {
        switch grpcHost {
        case "", "0.0.0.0": host = "127.0.0.1"
        case "::", "[::]": host = "::1"
        default: host = grpcHost
        }
    }

    deinit {
        channel.withLock { $0?.channel.close() }
    }

    public func respond(to request: AdminRequest) async -> AdminResponse {
        guard let match = JSONRoutes.match(path: request.path) else {
            return Self.error(.notFound, "no route for \(request.path) (see the gateway's README for the /v1/ routes)")
        }
        guard request.method == match.method || (match.method == .GET && request.method == .HEAD) else {
            var response = Self.error(
                .unimplemented, "\(request.method.rawValue) is not allowed on \(request.path); use \(match.method.rawValue)",
                httpStatus: .methodNotAllowed)
            response.extraHeaders["Allow"] = match.method == .GET ? "GET, HEAD" : match.method.rawValue
            return response
        }
        guard let client = client(port: request.grpcPort) else {
            return Self.error(.unavailable, "the gateway's gRPC port is not serving yet")
        }
        let options = CallOptions(metadata: Self.forwarded(request.headers))
        do {
            let json: JSONValue
            switch match.operation {
            case .customerOverview:
                json = try await client.getCustomerOverview(try build(match, request), options: options).protoJSONValue()
            case .premiseOverview:
                json = try await client.getPremiseOverview(try build(match, request), options: options).protoJSONValue()
            case .outageImpact:
                json = try await client.getOutageImpact(try build(match, request), options: options).protoJSONValue()
            case .billAccount:
                json = try await client.billAccount(try build(match, request), options: options).protoJSONValue()
            case .reliabilityReport:
                json = try await client.getReliabilityReport(try build(match, request), options: options).protoJSONValue()
            }
            return AdminResponse(status: .ok, contentType: "application/json", body: json.text(pretty: true) + "\n")
        } catch let error as ProtoJSONError {
            return Self.error(.invalidArgument, "\(error)")
        } catch {
            let status = RPCError(from: error)
            return Self.error(status.code, status.message)
        }
    }

    private func build<Request: ProtoJSONMessage>(_ match: JSONRoutes.Match, _ request: AdminRequest) throws -> Request {
        try JSONRoutes.request(Request.self, match: match, query: request.query, body: request.body)
    }

    /// One long-lived channel to the gateway's own port, made on first use (the port is only
    /// known once bound); nil before the port is bound.
    private func client(port: Int?) -> GatewayServiceClient? {
        guard let port else { return nil }
        return channel.withLock { state in
            if let state, state.port == port { return state.client }
            state?.channel.close()
            let made = GRPCChannel(endpoints: [Endpoint(host: host, port: port)])
            let client = GatewayServiceClient(channel: made)
            state = (port, client, made)
            return client
        }
    }

    static func forwarded(_ headers: HTTPHeaders) -> Metadata {
        var metadata = Metadata()
        for key in ForwardedMetadata.forwardedKeys {
            for value in headers[key] { metadata.add(key, value) }
        }
        return metadata
    }

    static func error(_ code: StatusCode, _ message: String, httpStatus: HTTPResponseStatus? = nil) -> AdminResponse {
        let status = httpStatus ?? HTTPStatusMapping.status(for: code)
        let body = JSONValue.object([
            ("error", .object([
                ("code", .number(String(status.code))),
                ("status", .string(code.name)),
                ("message", .string(message)),
            ])),
        ])
        var response = AdminResponse(status: status, contentType: "application/json", body: body.text(pretty: true) + "\n")
        if code == .unauthenticated { response.extraHeaders["WWW-Authenticate"] = "Bearer" }
        return response
    }
}
