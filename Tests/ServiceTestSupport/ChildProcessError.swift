/// A child process that could not be found, started, or did not become ready; the message
/// carries what it printed, so the failing test shows why.
public struct ChildProcessError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
