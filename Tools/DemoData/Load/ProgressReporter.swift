import Foundation
import Synchronization

/// Progress on stderr: a redrawn bar (phase, done/total, rate) on a terminal once the run has
/// taken more than a second, or a plain line per phase and every few seconds otherwise (logs, CI).
public final class ProgressReporter: Sendable {
    private struct State {
        var phase = ""
        var done = 0
        var total = 0
        var phaseStart = ContinuousClock.now
        var lastLine = ContinuousClock.now
    }

    private let state = Mutex(State())
    private let runStart = ContinuousClock.now
    private let interactive: Bool
    private let enabled: Bool

    public init(enabled: Bool = true, interactive: Bool = isatty(STDERR_FILENO) == 1) {
        self.enabled = enabled
        self.interactive = interactive
    }

    public func begin(_ phase: String, total: Int) {
        state.withLock {
            $0.phase = phase
            $0.done = 0
            $0.total = total
            $0.phaseStart = .now
        }
        draw()
    }

    public func advance(_ count: Int = 1) {
        state.withLock { $0.done += count }
        draw()
    }

    /// Ends the phase with a summary line (and clears the bar on a terminal).
    public func end() {
        guard enabled else { return }
        let line = state.withLock { state -> String in
            let seconds = max(0.001, Self.seconds(ContinuousClock.now - state.phaseStart))
            return "\(state.phase): \(state.done)/\(state.total) in \(String(format: "%.1f", seconds)) s (\(Self.rate(state.done, seconds)))"
        }
        write(interactive ? "\r\u{1B}[2K" + line + "\n" : line + "\n")
    }

    private func draw() {
        guard enabled else { return }
        let now = ContinuousClock.now
        let line: String? = state.withLock { state in
            let seconds = max(0.001, Self.seconds(now - state.phaseStart))
            let text = "\(state.phase) \(state.done)/\(state.total) \(Self.rate(state.done, seconds))"
            if interactive {
                guard now - runStart > .seconds(1), now - state.lastLine > .milliseconds(100) else { return nil }
                state.lastLine = now
                let width = 30
                let filled = state.total == 0 ? width : min(width, width * state.done / max(1, state.total))
                return "\r\u{1B}[2K[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] " + text
            }
            guard now - state.lastLine > .seconds(5) else { return nil }
            state.lastLine = now
            return text + "\n"
        }
        if let line { write(line) }
    }

    private func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }

    private static func rate(_ done: Int, _ seconds: Double) -> String {
        "\(Int((Double(done) / seconds).rounded()))/s"
    }
}
