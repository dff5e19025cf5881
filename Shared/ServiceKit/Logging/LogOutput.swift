import Foundation
import Synchronization

/// Where log lines go: standard output by default, or a closure (tests collect lines).
///
/// Each line is written whole with one `write(2)`, under a lock, so lines from concurrent
/// tasks never interleave.
public final class LogOutput: Sendable {
    private let lock = Mutex(())
    private let sink: @Sendable (String) -> Void

    /// `sink` receives each line without its trailing newline.
    public init(_ sink: @escaping @Sendable (String) -> Void) {
        self.sink = sink
    }

    /// One line per log record on standard output.
    public static let standardOutput = LogOutput { line in
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 {
                    if written < 0, errno == EINTR { continue }
                    return  // stdout closed: logging must never take the process down
                }
                offset += written
            }
        }
    }

    func write(_ line: String) {
        lock.withLock { _ in sink(line) }
    }
}
