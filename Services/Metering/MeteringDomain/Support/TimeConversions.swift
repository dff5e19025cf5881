import Foundation
import ProtoRuntime
import QuantumTypes

extension Timestamp {
    /// The instant `seconds` after 1970 (readings and buckets are whole seconds).
    init(epochSeconds: Int64) { self.init(seconds: epochSeconds, nanos: 0) }

    init(epochMilliseconds: Int64) {
        let seconds = epochMilliseconds >= 0 ? epochMilliseconds / 1000 : (epochMilliseconds - 999) / 1000
        self.init(seconds: seconds, nanos: Int32(epochMilliseconds - seconds * 1000) * 1_000_000)
    }

    /// Milliseconds since 1970, the unit of the store's non-reading time columns.
    var epochMilliseconds: Int64 { seconds * 1000 + Int64(nanos / 1_000_000) }

    /// A valid protobuf timestamp: 0001-01-01 … 9999-12-31 and nanos in range.
    var isValid: Bool {
        (-62_135_596_800...253_402_300_799).contains(seconds) && (0..<1_000_000_000).contains(nanos)
    }
}

/// A checked half-open range of whole seconds, from a request's `TimeRange`.
struct SecondsRange: Sendable, Equatable {
    let start: Int64
    let end: Int64

    /// Both bounds required, valid, whole seconds, start before end; `field` names the request field.
    init(_ range: TimeRange?, field: String) throws {
        guard let range, let start = range.startTime, let end = range.endTime else {
            throw MeteringError.invalid("\(field): both start_time and end_time are required")
        }
        guard start.isValid, end.isValid else { throw MeteringError.invalid("\(field): a timestamp is out of range") }
        guard start < end else { throw MeteringError.invalid("\(field): start_time must be before end_time") }
        self.start = start.seconds
        // An end with a fraction of a second still covers that second's interval starts.
        self.end = end.nanos > 0 ? end.seconds + 1 : end.seconds
    }

    init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }

    var timeRange: TimeRange {
        .with {
            $0.startTime = Timestamp(epochSeconds: start)
            $0.endTime = Timestamp(epochSeconds: end)
        }
    }
}

/// Local calendar arithmetic for DAY and MONTH buckets and DAILY reads.
struct LocalCalendar: Sendable {
    let calendar: Calendar
    let identifier: String

    /// `identifier` is an IANA zone name; empty means UTC.
    init(timeZone identifier: String, field: String) throws {
        let name = identifier.isEmpty ? "UTC" : identifier
        guard let zone = TimeZone(identifier: name) else {
            throw MeteringError.invalid("\(field): '\(identifier)' is not an IANA time zone, e.g. America/Chicago")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.calendar = calendar
        self.identifier = name
    }

    func startOfDay(_ seconds: Int64) -> Int64 {
        Int64(calendar.startOfDay(for: Date(timeIntervalSince1970: TimeInterval(seconds))).timeIntervalSince1970)
    }

    func isLocalMidnight(_ seconds: Int64) -> Bool { startOfDay(seconds) == seconds }

    func startOfMonth(_ seconds: Int64) -> Int64 {
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        let parts = calendar.dateComponents([.year, .month], from: date)
        return Int64(calendar.date(from: parts)!.timeIntervalSince1970)
    }

    /// The local midnight after the local midnight `midnight`. 24 hours later whenever the
    /// zone's UTC offset is the same at both instants (then their local times are 24 hours
    /// apart too), which is every day but the few with an offset change; those ask the
    /// calendar. A profile's DAY grid asked it for every day, ~8 % of a profile read's CPU.
    func nextMidnight(after midnight: Int64) -> Int64 {
        let plain = midnight + 86_400
        let zone = calendar.timeZone
        let sameOffset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(midnight)))
            == zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(plain)))
        return sameOffset ? plain : adding(.day, 1, to: midnight)
    }

    /// `seconds` moved by `count` local days or months (DST days are 23 or 25 hours long).
    func adding(_ component: Calendar.Component, _ count: Int, to seconds: Int64) -> Int64 {
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        return Int64(calendar.date(byAdding: component, value: count, to: date)!.timeIntervalSince1970)
    }
}
