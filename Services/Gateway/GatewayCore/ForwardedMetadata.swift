import RPCCore

/// The caller's metadata every downstream call carries: identity (`authorization`, checked by
/// the services themselves) and request/trace ids, so one request can be followed through
/// the mesh's logs. A request without `x-request-id` gets a fresh one.
public enum ForwardedMetadata {
    /// Keys copied from the caller, in this order.
    public static let forwardedKeys = ["authorization", "x-request-id", "traceparent", "tracestate"]

    /// What to send downstream for a call that arrived with `incoming`.
    public static func make(from incoming: Metadata, newRequestID: () -> String = RequestID.random) -> Metadata {
        var outgoing = Metadata()
        for key in forwardedKeys {
            for value in incoming[stringValues: key] { outgoing.add(key, value) }
        }
        if !outgoing.contains("x-request-id") { outgoing.add("x-request-id", newRequestID()) }
        return outgoing
    }
}
