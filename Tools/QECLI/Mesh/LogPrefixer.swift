/// Turns one child's output into `customer  | …` lines, colored per service on a terminal,
/// so six processes' logs can share one stream and still be told apart.
public struct LogPrefixer: Sendable {
    /// ANSI colors, one per service in catalog order (red and black are left for errors).
    static let palette = ["36", "32", "33", "35", "34", "96", "92"]

    public let label: String
    public let color: String?

    /// - Parameters:
    ///   - width: the longest name among those sharing the stream, so the bars line up.
    ///   - colorIndex: which palette color; `nil` for plain text (not a terminal, or `--no-color`).
    public init(name: String, width: Int, colorIndex: Int?) {
        self.label = name.padding(toLength: max(width, name.count), withPad: " ", startingAt: 0)
        self.color = colorIndex.map { Self.palette[$0 % Self.palette.count] }
    }

    public func prefix(_ line: String) -> String {
        guard let color else { return "\(label) | \(line)" }
        return "\u{1B}[\(color)m\(label) |\u{1B}[0m \(line)"
    }
}

/// Splits a byte stream into lines; keeps a partial last line until its newline (or the end).
public struct LineSplitter: Sendable {
    private var pending: [UInt8] = []

    public init() {}

    /// The complete lines in `chunk` (with what was pending), without their line ends.
    public mutating func feed(_ chunk: some Sequence<UInt8>) -> [String] {
        pending.append(contentsOf: chunk)
        var lines: [String] = []
        var start = 0
        for index in pending.indices where pending[index] == UInt8(ascii: "\n") {
            var end = index
            if end > start, pending[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            lines.append(String(decoding: pending[start..<end], as: UTF8.self))
            start = index + 1
        }
        pending.removeFirst(start)
        return lines
    }

    /// The unterminated rest, once the stream ended.
    public mutating func finish() -> String? {
        defer { pending = [] }
        return pending.isEmpty ? nil : String(decoding: pending, as: UTF8.self)
    }
}
