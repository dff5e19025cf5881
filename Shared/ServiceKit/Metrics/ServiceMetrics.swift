import CoreMetrics
import Prometheus
import RPCCore
import Synchronization

/// A service's metrics: a Prometheus registry, the swift-metrics factory that feeds it, and
/// the per-RPC series the interceptor records.
///
/// RPC series follow the names Prometheus users know from go-grpc-prometheus:
/// `grpc_server_started_total`, `grpc_server_handled_total` (by `grpc_code`) and the
/// `grpc_server_handling_seconds` histogram, each labelled `grpc_service`, `grpc_method`,
/// `grpc_type`.
public final class ServiceMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let factory: PrometheusMetricsFactory

    private struct CallSeries: Sendable {
        let started: CoreMetrics.Counter
        let latency: CoreMetrics.Timer
    }

    private struct Key: Hashable {
        let path: String
        let code: StatusCode?
    }

    /// Counters are created once per method (and code) and reused: creating one takes the
    /// registry's lock and hashes its labels.
    private let callSeries = Mutex<[String: CallSeries]>([:])
    private let handledCounters = Mutex<[Key: CoreMetrics.Counter]>([:])

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // RPC latencies: a cache hit is well under a millisecond, a slow list a few seconds.
        factory.defaultDurationHistogramBuckets = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        self.factory = factory
    }

    /// Makes this registry the target of `Counter(label:)` & co. anywhere in the process.
    /// swift-metrics allows this once per process, so only `main` calls it.
    public func bootstrapGlobalMetricsSystem() {
        MetricsSystem.bootstrap(factory)
    }

    /// The registry in Prometheus text exposition format (version 0.0.4).
    public func prometheusText() -> String {
        registry.emitToString()
    }

    /// Counts a call as it starts.
    public func callStarted(_ method: MethodDescriptor) {
        series(for: method).started.increment()
    }

    /// Counts a finished call by status and records how long it took.
    public func callFinished(_ method: MethodDescriptor, code: StatusCode, duration: Duration) {
        series(for: method).latency.recordNanoseconds(Self.nanoseconds(duration))
        handledCounter(method, code).increment()
    }

    private func series(for method: MethodDescriptor) -> CallSeries {
        callSeries.withLock { cache in
            if let series = cache[method.path] { return series }
            let labels = Self.labels(method)
            let series = CallSeries(
                started: CoreMetrics.Counter(label: "grpc_server_started_total", dimensions: labels, factory: factory),
                latency: CoreMetrics.Timer(label: "grpc_server_handling_seconds", dimensions: labels, factory: factory))
            cache[method.path] = series
            return series
        }
    }

    private func handledCounter(_ method: MethodDescriptor, _ code: StatusCode) -> CoreMetrics.Counter {
        handledCounters.withLock { cache in
            let key = Key(path: method.path, code: code)
            if let counter = cache[key] { return counter }
            let counter = CoreMetrics.Counter(
                label: "grpc_server_handled_total", dimensions: Self.labels(method) + [("grpc_code", code.name)],
                factory: factory)
            cache[key] = counter
            return counter
        }
    }

    private static func labels(_ method: MethodDescriptor) -> [(String, String)] {
        [("grpc_service", method.service), ("grpc_method", method.method), ("grpc_type", typeName(method.kind))]
    }

    private static func typeName(_ kind: MethodKind) -> String {
        switch kind {
        case .unary: "unary"
        case .clientStreaming: "client_stream"
        case .serverStreaming: "server_stream"
        case .bidiStreaming: "bidi_stream"
        }
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

/// Records ``ServiceMetrics``' RPC series for every call the server handles.
public struct RPCMetricsInterceptor: ServerInterceptor {
    public let metrics: ServiceMetrics

    public init(metrics: ServiceMetrics) {
        self.metrics = metrics
    }

    public func intercept(context: ServerContext, next: () async throws -> Void) async throws {
        metrics.callStarted(context.method)
        let start = ContinuousClock.now
        do {
            try await next()
            metrics.callFinished(context.method, code: .ok, duration: start.duration(to: .now))
        } catch {
            metrics.callFinished(context.method, code: RPCError(from: error).code, duration: start.duration(to: .now))
            throw error
        }
    }
}
