/// Follows `next_page_token`s until the list ends, for the lists the gateway needs whole.
enum Paging {
    /// `fetch(token)` returns one page and the next token ("" at the end).
    static func all<Item>(_ fetch: (String) async throws -> ([Item], String)) async throws -> [Item] {
        var items: [Item] = []
        var token = ""
        repeat {
            let (page, next) = try await fetch(token)
            items += page
            token = next
        } while !token.isEmpty
        return items
    }

    /// Every page of a list filtered by `ids`, asked for in chunks of 1,000 ids (what the
    /// filter fields accept), one chunk after another: `fetch(chunk, token)` returns one page
    /// and the next token. An item matching ids of two chunks comes once per chunk.
    static func all<Item>(chunking ids: [String], _ fetch: ([String], String) async throws -> ([Item], String)) async throws -> [Item] {
        var items: [Item] = []
        for chunk in chunks(ids) {
            items += try await all { token in try await fetch(chunk, token) }
        }
        return items
    }

    /// Splits ids into the chunks a batch or filter field accepts (most take at most 1,000).
    static func chunks(_ ids: [String], of size: Int = 1000) -> [[String]] {
        stride(from: 0, to: ids.count, by: size).map { Array(ids[$0..<min($0 + size, ids.count)]) }
    }
}

extension Sequence where Element: Hashable {
    /// The elements without repeats, first occurrence kept.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
