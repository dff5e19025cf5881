extension Sequence where Element: Hashable {
    /// The elements without repeats, first occurrence kept: batch requests answer each id once,
    /// in request order.
    public func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
