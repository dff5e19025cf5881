import Foundation
import Synchronization

/// This service's own token (`--auth-service-token-file`), read from its file again at most
/// once per `refreshInterval` while calls are made.
///
/// Why: tokens carry an `exp` (`qe mesh` mints service tokens for 30 days), and a platform
/// rotates them by putting a new file in place before the old token expires (a renamed-over
/// file, a Kubernetes or compose secret update). Read once at start, the service would go on
/// sending the expired token and every separation lookup would fail UNAUTHENTICATED until a
/// restart. A read that fails or finds no token (a rotation caught half-written, a file briefly
/// missing) keeps the last good token.
public final class ServiceTokenFile: Sendable {
    public let path: String
    private let refreshInterval: Duration
    private let state: Mutex<State>

    private struct State {
        var token: String
        var nextCheck: ContinuousClock.Instant
    }

    /// Reads the token now; a missing, empty or malformed file is an error here, at start.
    public init(path: String, refreshInterval: Duration = .seconds(5), now: ContinuousClock.Instant = .now) throws(AuthConfigurationError) {
        guard let token = Self.read(path) else {
            throw AuthConfigurationError("'\(path)': expected a readable file holding one token")
        }
        self.path = path
        self.refreshInterval = refreshInterval
        state = Mutex(State(token: token, nextCheck: now + refreshInterval))
    }

    /// The token to send now.
    public var token: String { token(now: .now) }

    /// The token at `now`: the file is read again when the last read is `refreshInterval` old.
    /// Only the caller that finds the read due makes it (a few µs, once per interval); the
    /// others go on with the token they have.
    public func token(now: ContinuousClock.Instant) -> String {
        let (current, due) = state.withLock { state in
            guard now >= state.nextCheck else { return (state.token, false) }
            state.nextCheck = now + refreshInterval
            return (state.token, true)
        }
        guard due, let fresh = Self.read(path), fresh != current else { return current }
        state.withLock { $0.token = fresh }
        return fresh
    }

    /// The file's one token, or nil when it cannot be read or does not hold exactly one.
    static func read(_ path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, !token.contains(where: \.isWhitespace) else { return nil }
        return token
    }
}
