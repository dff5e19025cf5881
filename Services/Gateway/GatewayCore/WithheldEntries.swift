import QuantumTypes

/// What a downstream list left out for this caller (its `withheld_count` / `withheld_rule`),
/// summed over pages, so the section can say so: its state stays OK, `withheld_count` and
/// `rule` tell the caller entries were held back by the separation policy.
struct WithheldEntries: Sendable {
    private(set) var count: Int32 = 0
    private(set) var rule = ""

    mutating func add(_ count: Int32, rule: String) {
        guard count > 0 else { return }
        self.count += count
        if self.rule.isEmpty { self.rule = rule }
    }

    /// `status` with the withheld entries noted (unchanged when there were none).
    func applied(to status: SectionStatus, noun: String) -> SectionStatus {
        guard count > 0 else { return status }
        var status = status
        status.withheldCount = count
        status.rule = rule
        status.message = "\(count) \(noun) withheld by the separation policy" + (rule.isEmpty ? "" : " (rule \(rule))")
        return status
    }
}

extension Paging {
    /// Every page of a list whose pages report what the separation policy left out:
    /// `fetch(token)` returns the page's items, the next token ("" at the end), and its
    /// `withheld_count` / `withheld_rule`.
    static func allCountingWithheld<Item>(
        _ fetch: (String) async throws -> (items: [Item], next: String, withheldCount: Int32, withheldRule: String)
    ) async throws -> ([Item], WithheldEntries) {
        try await continuing(first: try await fetch(""), fetch)
    }
}

extension Paging {
    /// A list whose first page came inside another answer (GetCustomerSummary): that page, then
    /// every further page from `fetch(token)`, summing what the separation policy left out.
    static func continuing<Item>(
        first: (items: [Item], next: String, withheldCount: Int32, withheldRule: String),
        _ fetch: (String) async throws -> (items: [Item], next: String, withheldCount: Int32, withheldRule: String)
    ) async throws -> ([Item], WithheldEntries) {
        var withheld = WithheldEntries()
        withheld.add(first.withheldCount, rule: first.withheldRule)
        var items = first.items
        var token = first.next
        while !token.isEmpty {
            let page = try await fetch(token)
            withheld.add(page.withheldCount, rule: page.withheldRule)
            items += page.items
            token = page.next
        }
        return (items, withheld)
    }
}
