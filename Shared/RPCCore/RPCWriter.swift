/// Writes messages to the other side of a stream. `write` suspends while the peer is not
/// reading (flow control), so a fast producer cannot make the transport buffer a whole stream.
/// Throws `RPCError` (e.g. CANCELLED) once the stream can no longer carry messages.
public struct RPCWriter<Element: Sendable>: Sendable {
    private let writeElement: @Sendable (Element) async throws -> Void

    public init(_ write: @escaping @Sendable (Element) async throws -> Void) {
        self.writeElement = write
    }

    public func write(_ element: Element) async throws {
        try await writeElement(element)
    }

    public func write(contentsOf elements: some Sequence<Element>) async throws {
        for element in elements { try await writeElement(element) }
    }
}
