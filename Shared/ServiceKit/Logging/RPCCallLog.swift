import Logging
import RPCCore

/// One structured log line per RPC: method, status, duration, peer, request id, trace id.
///
/// Request and trace ids come from the call's metadata: `x-request-id`, and the W3C
/// `traceparent` header's trace id (or `x-trace-id`), so a line can be joined with the
/// client's and the other services' lines for the same request.
public struct RPCCallLog: Sendable {
    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Logs a finished call. OK and caller mistakes are `info`; failures that are the
    /// server's (INTERNAL, UNKNOWN, DATA_LOSS, UNAVAILABLE, DEADLINE_EXCEEDED) are `error`.
    public func record(
        method: MethodDescriptor, code: StatusCode, message: String = "", duration: Duration, peer: String,
        requestMetadata: Metadata
    ) {
        let level = Self.level(for: code)
        // Below the configured level the line is dropped: skip building it (every call comes here).
        guard logger.logLevel <= level else { return }
        var metadata: Logger.Metadata = [
            "rpc.method": .string(method.path),
            "rpc.code": .string(code.name),
            "rpc.duration_ms": .stringConvertible(Self.milliseconds(duration)),
            "peer": .string(peer),
        ]
        if let requestID = requestMetadata.first("x-request-id") { metadata["request_id"] = .string(requestID) }
        if let traceID = Self.traceID(in: requestMetadata) { metadata["trace_id"] = .string(traceID) }
        if code != .ok, !message.isEmpty { metadata["rpc.message"] = .string(message) }
        logger.log(level: level, "rpc", metadata: metadata)
    }

    static func level(for code: StatusCode) -> Logger.Level {
        switch code {
        case .internal, .unknown, .dataLoss, .unavailable, .deadlineExceeded: .error
        default: .info
        }
    }

    /// The trace id of a W3C `traceparent` (`00-<32 hex>-<16 hex>-<2 hex>`), else `x-trace-id`.
    static func traceID(in metadata: Metadata) -> String? {
        if let parent = metadata.first("traceparent") {
            let parts = parent.split(separator: "-")
            if parts.count == 4, parts[1].count == 32, parts[1].allSatisfy(\.isHexDigit) { return String(parts[1]) }
        }
        return metadata.first("x-trace-id")
    }

    /// Milliseconds with three decimals.
    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        let microseconds = attoseconds / 1_000_000_000_000
        return (Double(seconds) * 1000 + Double(microseconds) / 1000).rounded(toPlaces: 3)
    }
}

extension Double {
    fileprivate func rounded(toPlaces places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (self * scale).rounded() / scale
    }
}

/// Logs every call the server handles, through ``RPCCallLog``. Install it first in the
/// server's interceptor list so the duration covers the other interceptors too.
public struct RPCLoggingInterceptor: ServerInterceptor {
    public let log: RPCCallLog

    public init(logger: Logger) {
        self.log = RPCCallLog(logger: logger)
    }

    public func intercept(context: ServerContext, next: () async throws -> Void) async throws {
        let start = ContinuousClock.now
        do {
            try await next()
            log.record(
                method: context.method, code: .ok, duration: start.duration(to: .now), peer: context.peer,
                requestMetadata: context.requestMetadata)
        } catch {
            let status = RPCError(from: error)
            log.record(
                method: context.method, code: status.code, message: status.message, duration: start.duration(to: .now),
                peer: context.peer, requestMetadata: context.requestMetadata)
            throw error
        }
    }
}
