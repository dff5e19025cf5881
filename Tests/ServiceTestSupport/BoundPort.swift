/// The port a child process bound (it was started on port 0), read from what it printed.
public enum BoundPort {
    /// Our services' JSON "serving" log line: `"grpc":"127.0.0.1:PORT"`.
    public static func fromServingLog(_ text: String) -> Int? {
        guard let range = text.range(of: #""grpc":"127.0.0.1:"#) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    /// The admin port from the same line: `"admin":"127.0.0.1:PORT"`.
    public static func adminFromServingLog(_ text: String) -> Int? {
        guard let range = text.range(of: #""admin":"127.0.0.1:"#) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    /// The interop peers' line `listening PORT`.
    public static func fromListeningLine(_ text: String) -> Int? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening ") }) else { return nil }
        return Int(line.dropFirst("listening ".count))
    }
}
