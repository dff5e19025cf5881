/// Per-item downstream calls run concurrently, but at most `limit` at a time, so one large
/// customer cannot open hundreds of streams at once. Results keep the input order.
public enum BoundedConcurrency {
    public static func map<Item: Sendable, Result: Sendable>(
        _ items: [Item], limit: Int, _ transform: @escaping @Sendable (Item) async -> Result
    ) async -> [Result] {
        await withTaskGroup(of: Indexed<Result>.self) { group in
            var results = [Result?](repeating: nil, count: items.count)
            var next = 0
            func start(_ index: Int) {
                let item = items[index]
                group.addTask { Indexed(index: index, value: await transform(item)) }
            }
            while next < min(max(limit, 1), items.count) { start(next); next += 1 }
            while let done = await group.next() {
                results[done.index] = done.value
                if next < items.count { start(next); next += 1 }
            }
            return results.map { $0! }
        }
    }

    /// As ``map(_:limit:_:)`` for calls that throw: the first failure cancels the rest and is rethrown.
    public static func map<Item: Sendable, Result: Sendable>(
        _ items: [Item], limit: Int, _ transform: @escaping @Sendable (Item) async throws -> Result
    ) async throws -> [Result] {
        try await withThrowingTaskGroup(of: Indexed<Result>.self) { group in
            var results = [Result?](repeating: nil, count: items.count)
            var next = 0
            func start(_ index: Int) {
                let item = items[index]
                group.addTask { Indexed(index: index, value: try await transform(item)) }
            }
            while next < min(max(limit, 1), items.count) { start(next); next += 1 }
            while let done = try await group.next() {
                results[done.index] = done.value
                if next < items.count { start(next); next += 1 }
            }
            return results.map { $0! }
        }
    }
}

/// A child task's result with its input position. A struct rather than an `(Int, Value)` tuple:
/// tuple child types crashed release builds of finance and metering (see `AccountOutcome` in
/// finance-service), and this keeps the gateway off that path too.
private struct Indexed<Value: Sendable>: Sendable {
    let index: Int
    let value: Value
}
