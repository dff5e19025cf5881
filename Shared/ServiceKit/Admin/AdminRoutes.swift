import NIOHTTP1

/// A response of the admin port.
public struct AdminResponse: Sendable, Equatable {
    public var status: HTTPResponseStatus
    public var contentType: String
    public var body: String
    public var extraHeaders: [String: String]

    public init(status: HTTPResponseStatus, contentType: String = "text/plain; charset=utf-8", body: String, extraHeaders: [String: String] = [:]) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.extraHeaders = extraHeaders
    }
}

/// What the admin port answers, apart from sockets (so it is easy to read and to test):
///
/// - `GET /metrics` — the Prometheus text exposition of the service's registry.
/// - `GET /healthz` — 200 while the process runs (liveness: restart me if this fails).
/// - `GET /readyz` — 200 when the service says it can take traffic, else 503 (readiness:
///   send me nothing while this fails; it fails during start-up and shutdown).
/// - `HEAD` works wherever `GET` does; other methods are 405 with `Allow`; other paths 404.
/// - Paths under the service's `AdminAPI` prefix, if it has one, are the API's.
public struct AdminRoutes: Sendable {
    public static let prometheusContentType = "text/plain; version=0.0.4; charset=utf-8"

    let metrics: ServiceMetrics
    let readiness: @Sendable () async -> Bool
    let api: (any AdminAPI)?
    let grpcPort: @Sendable () -> Int?

    public init(
        metrics: ServiceMetrics, api: (any AdminAPI)? = nil, grpcPort: @escaping @Sendable () -> Int? = { nil },
        readiness: @escaping @Sendable () async -> Bool
    ) {
        self.metrics = metrics
        self.readiness = readiness
        self.api = api
        self.grpcPort = grpcPort
    }

    /// Whether requests to `path` may carry a body (only the API's take one).
    func acceptsBody(path: String) -> Bool {
        guard let api else { return false }
        return path.hasPrefix(api.pathPrefix)
    }

    public func respond(method: HTTPMethod, uri: String) async -> AdminResponse {
        await respond(to: AdminRequest(method: method, uri: uri))
    }

    public func respond(to request: AdminRequest) async -> AdminResponse {
        let (method, path) = (request.method, request.path)
        if let api, path.hasPrefix(api.pathPrefix) {
            var request = request
            request.grpcPort = grpcPort()
            return await api.respond(to: request)
        }
        guard ["/metrics", "/healthz", "/readyz"].contains(path) else {
            return AdminResponse(status: .notFound, body: "not found: \(path) (try /metrics, /healthz or /readyz)\n")
        }
        guard method == .GET || method == .HEAD else {
            return AdminResponse(
                status: .methodNotAllowed, body: "\(method.rawValue) is not allowed on \(path); use GET\n",
                extraHeaders: ["Allow": "GET, HEAD"])
        }
        switch path {
        case "/metrics":
            return AdminResponse(status: .ok, contentType: Self.prometheusContentType, body: metrics.prometheusText())
        case "/healthz":
            return AdminResponse(status: .ok, body: "ok\n")
        default:
            return await readiness()
                ? AdminResponse(status: .ok, body: "ready\n")
                : AdminResponse(status: .serviceUnavailable, body: "not ready\n")
        }
    }
}
