import Foundation
import Synchronization

/// Whole lines to stdout / stderr, never interleaved mid-line when several threads (the
/// mesh's log readers) write at once.
public enum Console {
    private static let lock = Mutex(())

    public static func out(_ text: String) { write(text, to: STDOUT_FILENO) }
    public static func err(_ text: String) { write(text, to: STDERR_FILENO) }

    private static func write(_ text: String, to fd: Int32) {
        let bytes = Array((text.hasSuffix("\n") ? text : text + "\n").utf8)
        lock.withLock { _ in
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }

    public static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
}
