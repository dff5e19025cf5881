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
public struct AdminRoutes: Sendable {
    public static let prometheusContentType = "text/plain; version=0.0.4; charset=utf-8"

    let metrics: ServiceMetrics
    let readiness: @Sendable () async -> Bool

    public init(metrics: ServiceMetrics, readiness: @escaping @Sendable () async -> Bool) {
        self.metrics = metrics
        self.readiness = readiness
    }

    public func respond(method: HTTPMethod, uri: String) async -> AdminResponse {
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? uri
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
