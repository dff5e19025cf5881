/// A type-erased asynchronous sequence of messages: the request stream a streaming handler
/// reads, and the response stream a streaming client reads. Iterate it once.
///
/// Ending normally means the peer finished; a non-OK status or a broken stream is thrown as
/// `RPCError` from `next()`.
public struct RPCAsyncSequence<Element: Sendable>: AsyncSequence, Sendable {
    public typealias Failure = any Error

    public struct AsyncIterator: AsyncIteratorProtocol {
        private let nextElement: () async throws -> Element?

        public init(_ next: @escaping () async throws -> Element?) { self.nextElement = next }

        public mutating func next() async throws -> Element? { try await nextElement() }
    }

    private let makeIterator: @Sendable () -> AsyncIterator

    /// Wraps a function that makes the iterator (the transport's inbound message queue).
    public init(makeIterator: @escaping @Sendable () -> AsyncIterator) {
        self.makeIterator = makeIterator
    }

    /// Wraps any sendable async sequence of the same element type.
    public init<Base: AsyncSequence & Sendable>(_ base: Base) where Base.Element == Element {
        self.makeIterator = {
            var iterator = base.makeAsyncIterator()
            return AsyncIterator { try await iterator.next() }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { makeIterator() }
}
