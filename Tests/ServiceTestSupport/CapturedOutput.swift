import Foundation
import Synchronization

/// Bytes a child process writes to a pipe, gathered on the pipe's reader thread.
public final class CapturedOutput: Sendable {
    private let data = Mutex(Data())

    public init() {}

    public func append(_ chunk: Data) { data.withLock { $0.append(chunk) } }

    public var text: String { data.withLock { String(decoding: $0, as: UTF8.self) } }

    /// A pipe whose output lands here as it arrives.
    func attach(_ pipe: Pipe) {
        pipe.fileHandleForReading.readabilityHandler = { [self] handle in append(handle.availableData) }
    }

    /// After the writer exited: stop the reader thread and take what the pipe still holds.
    /// Non-blocking, so a grandchild that inherited the pipe cannot hang the test.
    func drain(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        handle.readabilityHandler = nil
        let descriptor = handle.fileDescriptor
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            guard count > 0 else { return }
            append(Data(buffer[..<count]))
        }
    }
}
