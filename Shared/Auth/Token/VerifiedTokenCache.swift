import Foundation
import Synchronization

/// Tokens that passed verification, by their exact text, until they expire. Bounded: when
/// full, expired entries go first, then arbitrary ones (a miss only costs a re-verification).
///
/// Only successes are cached; a token's claims cannot change without changing its text (and
/// signature), so a hit is as good as a fresh check except for time, which is re-checked.
final class VerifiedTokenCache: Sendable {
    private struct Entry {
        let caller: Caller
        let expiresAt: Date
    }

    let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    var count: Int { entries.withLock { $0.count } }

    func caller(for token: String, now: Date, leeway: TimeInterval) -> Caller? {
        entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            guard now.addingTimeInterval(-leeway) < entry.expiresAt else {
                entries[token] = nil
                return nil
            }
            return entry.caller
        }
    }

    func insert(_ token: String, caller: Caller, expiresAt: Date, now: Date) {
        guard capacity > 0 else { return }
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.expiresAt > now }
                while entries.count >= capacity, let victim = entries.keys.first { entries[victim] = nil }
            }
            entries[token] = Entry(caller: caller, expiresAt: expiresAt)
        }
    }
}
