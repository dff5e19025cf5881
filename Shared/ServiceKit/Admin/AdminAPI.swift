import Foundation
import NIOHTTP1

/// One request to the admin port, parsed for routes a service adds beside /metrics, /healthz
/// and /readyz (the gateway's JSON front).
public struct AdminRequest: Sendable {
    public var method: HTTPMethod
    /// The path without the query, e.g. `/v1/customers/CUS-1/overview`.
    public var path: String
    /// The query's parameters, percent-decoded, in order.
    public var query: [(name: String, value: String)]
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The service's own bound gRPC port, for routes that answer by calling it.
    public var grpcPort: Int?

    public init(method: HTTPMethod, uri: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], grpcPort: Int? = nil) {
        self.method = method
        path = Self.path(of: uri)
        query = uri.firstIndex(of: "?").map { mark in
            (URLComponents(string: String(uri[mark...]))?.queryItems ?? []).map { ($0.name, $0.value ?? "") }
        } ?? []
        self.headers = headers
        self.body = body
        self.grpcPort = grpcPort
    }
}

extension AdminRequest {
    /// The path of a request target: everything before the first "?" (without parsing the
    /// query, for the handler's look at a request head).
    static func path(of uri: String) -> String {
        uri.firstIndex(of: "?").map { String(uri[..<$0]) } ?? uri
    }
}

/// Routes a service adds to its admin port under `pathPrefix` (e.g. `/v1/`).
public protocol AdminAPI: Sendable {
    var pathPrefix: String { get }
    func respond(to request: AdminRequest) async -> AdminResponse
}
