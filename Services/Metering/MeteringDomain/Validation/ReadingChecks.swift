import MeteringAPI
import ProtoRuntime
import QuantumTypes

/// A reading that passed the per-row rules, ready to upsert.
struct CheckedReading: Sendable, Equatable {
    let key: ReadingKey
    let milli: Int64
    let quality: ReadingQuality
}

/// The per-row rules of `IngestReadings` (and the value rules `EditReading` shares).
enum ReadingChecks {
    /// How far ahead of our clock a reading may end before it is a future timestamp.
    static let allowedClockSkewSeconds: Int64 = 300

    /// The reading as stored, or the first rule it breaks. `point` is nil for an unknown id.
    static func check(_ reading: MeterReading, point: StoredMeterPoint?, now: Int64) -> Result<CheckedReading, RowProblem> {
        do {
            return .success(try checked(reading, point: point, now: now))
        } catch {
            return .failure(error)
        }
    }

    private static func checked(_ reading: MeterReading, point: StoredMeterPoint?, now: Int64) throws(RowProblem) -> CheckedReading {
        guard !reading.meterPointID.isEmpty else { throw RowProblem(.missingField, "meter_point_id", "meter_point_id is required") }
        guard let point else {
            throw RowProblem(.unknownReference, "meter_point_id", "meter point '\(reading.meterPointID)' does not exist")
        }
        guard reading.kind.isSpecified else { throw RowProblem(.missingField, "kind", "kind is required (INTERVAL, DAILY or MONTHLY)") }
        guard reading.channel.isSpecified else { throw RowProblem(.missingField, "channel", "channel is required (DELIVERED or RECEIVED)") }
        let quality = reading.quality == .unspecified ? ReadingQuality.actual : reading.quality
        guard [.actual, .estimated, .invalid].contains(quality) else {
            throw RowProblem(.invalidValue, "quality", "quality \(quality.displayName) cannot be ingested; EDITED is set by EditReading only")
        }
        let start = try checkStart(reading.intervalStart, kind: reading.kind, point: point, now: now)
        let milli = try checkValue(reading.value, channel: reading.channel, point: point)
        return CheckedReading(
            key: ReadingKey(meterSeq: point.seq, kind: reading.kind.rawValue, startSeconds: start, channel: reading.channel.rawValue),
            milli: milli, quality: quality)
    }

    /// interval_start: present, aligned for its kind, inside the meter point's life, not future.
    static func checkStart(_ timestamp: Timestamp?, kind: ReadingKind, point: StoredMeterPoint, now: Int64) throws(RowProblem) -> Int64 {
        guard let timestamp else { throw RowProblem(.missingField, "interval_start", "interval_start is required") }
        guard timestamp.isValid else { throw RowProblem(.invalidValue, "interval_start", "interval_start is out of range") }
        let start = timestamp.seconds
        let end: Int64
        switch kind {
        case .interval:
            // UTC multiples of the interval length; every zone offset in use is a multiple of
            // 15 minutes, so 5/15-minute intervals are aligned in local time as well.
            guard timestamp.nanos == 0, start % point.intervalSeconds == 0 else {
                throw RowProblem(
                    .misalignedInterval, "interval_start",
                    "interval_start \(start)s is not a multiple of the meter point's \(point.intervalSeconds)s interval")
            }
            end = start + point.intervalSeconds
        case .daily, .monthly:
            guard timestamp.nanos == 0, point.calendar.isLocalMidnight(start) else {
                throw RowProblem(
                    .misalignedInterval, "interval_start",
                    "interval_start of a \(kind.displayName) read must be local midnight in \(point.calendar.identifier)")
            }
            // A DAILY read covers its whole local day; a MONTHLY read's end is not known here.
            end = kind == .daily ? point.calendar.adding(.day, 1, to: start) : start
        default:
            throw RowProblem(.invalidValue, "kind", "kind \(kind.displayName) is unknown")
        }
        guard end <= now + allowedClockSkewSeconds else {
            throw RowProblem(.futureTimestamp, "interval_start", "the period starting at \(start)s has not ended yet")
        }
        if point.resource.status == .planned {
            throw RowProblem(.invalidValue, "meter_point_id", "meter point '\(point.id)' is PLANNED and takes no readings")
        }
        if let removal = point.resource.removalTime, start >= removal.seconds {
            throw RowProblem(.invalidValue, "interval_start", "meter point '\(point.id)' was removed at \(removal.seconds)s")
        }
        return start
    }

    /// value: present, in the meter point's unit, not negative (both channels), not absurd.
    static func checkValue(_ value: EnergyQuantity?, channel: ReadingChannel, point: StoredMeterPoint) throws(RowProblem) -> Int64 {
        guard let value else { throw RowProblem(.missingField, "value", "value is required") }
        guard value.unit == .unspecified || value.unit == point.unit else {
            throw RowProblem(
                .unitMismatch, "value.unit", "value.unit \(value.unit.displayName) is not the meter point's unit \(point.unit.displayName)")
        }
        guard value.milliValue >= 0 else {
            throw RowProblem(.negativeValue, "value", "a \(channel.displayName) value must not be negative, got \(value.milliValue) milli")
        }
        guard value.milliValue <= FixedPoint.maximumReadingMilli else {
            throw RowProblem(.invalidValue, "value", "value \(value.milliValue) milli exceeds \(FixedPoint.maximumReadingMilli)")
        }
        return value.milliValue
    }
}
