import ArgumentParser
import ProtoRuntime

/// `--from` / `--to` for list commands that filter by time, as a quantum.type.v1.TimeRange.
/// Values may start with `-` (`-30d`), so they are parsed unconditionally.
public struct TimeRangeOptions: ParsableArguments, Sendable {
    @Option(parsing: .unconditional, help: ArgumentHelp("At or after (2026-01-01, RFC 3339, now, -30d).", valueName: "instant"))
    public var from: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Before.", valueName: "instant"))
    public var to: String?

    public init() {}

    /// The range, nil when neither bound was given.
    public func json() throws -> JSONValue? {
        guard from != nil || to != nil else { return nil }
        return RequestJSON.object([
            ("startTime", try from.map { try RequestJSON.timestamp($0, flag: "--from") }),
            ("endTime", try to.map { try RequestJSON.timestamp($0, flag: "--to") }),
        ])
    }
}
