/// Runs `body` for 0..<count with at most `limit` calls in flight and returns the results in
/// index order; the first error cancels the rest and is rethrown.
func concurrentMap<Value: Sendable>(
    _ count: Int, limit: Int, _ body: @escaping @Sendable (Int) async throws -> Value
) async throws -> [Value] {
    guard count > 0 else { return [] }
    return try await withThrowingTaskGroup(of: (Int, Value).self) { group in
        var results = [Value?](repeating: nil, count: count)
        var next = 0
        func launch() {
            let index = next
            group.addTask { (index, try await body(index)) }
            next += 1
        }
        while next < min(max(1, limit), count) { launch() }
        while let (index, value) = try await group.next() {
            results[index] = value
            if next < count { launch() }
        }
        return results.map { $0! }
    }
}
