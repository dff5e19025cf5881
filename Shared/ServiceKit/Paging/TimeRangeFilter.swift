import ProtoRuntime
import QuantumTypes
import RPCCore

extension Conditions {
    /// A request's optional time range as `column >= start AND column < end` (half-open, in
    /// epoch milliseconds), after checking it: valid timestamps, and the end not before the
    /// start (INVALID_ARGUMENT naming `field`, e.g. `time_range.end_time`).
    public mutating func addTimeRange(_ range: TimeRange?, column: String, field: String) throws(RPCError) {
        guard let range else { return }
        try FieldCheck.timestamp(range.startTime, "\(field).start_time")
        try FieldCheck.timestamp(range.endTime, "\(field).end_time")
        if let start = range.startTime, let end = range.endTime, end < start {
            throw Fail.invalid("\(field).end_time is before \(field).start_time")
        }
        if let start = range.startTime { add("\(column) >= ?", .integer(TimeColumns.milliseconds(start))) }
        if let end = range.endTime { add("\(column) < ?", .integer(TimeColumns.milliseconds(end))) }
    }
}

extension PageQuery {
    /// A time range as page-token field text (`seconds.nanos..seconds.nanos`), so a token only
    /// resumes the range it was made for.
    public static func text(of range: TimeRange?) -> String {
        guard let range else { return "" }
        let text = { (time: Timestamp?) in time.map { "\($0.seconds).\($0.nanos)" } ?? "" }
        return text(range.startTime) + ".." + text(range.endTime)
    }
}
