import MeteringAPI
import ProtoRuntime
import QuantumTypes
import ServiceKit

extension MeteringOperations {
    /// Reports spikes and gaps over a range (read-only). Channels checked: the request's, or
    /// the meter point's primary channel plus the other one when it has readings in the range.
    /// Expected intervals are those inside install…removal that have ended.
    public func validateReadings(_ request: ValidateReadingsRequest) async throws -> ValidateReadingsResponse {
        let range = try SecondsRange(request.timeRange, field: "time_range")
        guard request.spikeThresholdMilli >= 0 else { throw MeteringError.invalid("spike_threshold_milli must not be negative") }
        guard (0...366).contains(request.medianWindowDays) else { throw MeteringError.invalid("median_window_days must be 0…366") }
        guard request.channel == .unspecified || request.channel.isSpecified else {
            throw MeteringError.invalid("channel: unknown value \(request.channel.rawValue)")
        }
        let point = try await meterPoint(request.meterPointID)
        guard (range.end - range.start) / point.intervalSeconds <= 1_000_000 else {
            throw MeteringError.invalid("time_range covers more than 1,000,000 intervals; validate it in parts")
        }
        let threshold = request.spikeThresholdMilli == 0 ? spikeThresholdMilli : request.spikeThresholdMilli
        let window = Int64(request.medianWindowDays == 0 ? 7 : request.medianWindowDays) * 86_400
        let now = clock.epochSeconds()
        let series = try await store.read { db in
            var series: [ReadingChannel: [StoredReading]] = [:]
            try ReadingTable.forEachInterval(of: point, in: SecondsRange(start: range.start - window, end: range.end), db) {
                series[$0.channel, default: []].append($0)
            }
            return series
        }
        var response = ValidateReadingsResponse()
        response.spikeThresholdMilli = threshold
        let expected = SecondsRange(
            start: max(range.start, point.activeFrom), end: min(range.end, point.activeUntil, now - point.intervalSeconds + 1))
        for channel in [ReadingChannel.delivered, .received] {
            let readings = series[channel] ?? []
            let checked = request.channel == .unspecified
                ? channel == point.primaryChannel || readings.contains { $0.startSeconds >= range.start }
                : channel == request.channel
            guard checked else { continue }
            for spike in SpikeDetector.spikes(readings, range: range, windowSeconds: window, thresholdMilli: threshold) {
                response.spikes.append(
                    .with {
                        $0.intervalStart = Timestamp(epochSeconds: spike.startSeconds)
                        $0.channel = channel
                        $0.value = point.energy(spike.milli)
                        $0.recentMedian = point.energy(spike.medianMilli)
                        $0.ratioMilli = spike.ratioMilli
                    })
            }
            let report = GapDetector.report(
                readings.filter { $0.startSeconds >= range.start }, intervalSeconds: point.intervalSeconds, expected: expected)
            response.expectedIntervalCount += report.expected
            response.presentIntervalCount += report.present
            response.invalidCount += report.invalid
            response.gaps += report.gaps.map { gap in
                .with {
                    $0.channel = channel
                    $0.startTime = Timestamp(epochSeconds: gap.start)
                    $0.endTime = Timestamp(epochSeconds: gap.end)
                    $0.missingIntervalCount = Int32(clamping: gap.count)
                }
            }
        }
        response.spikes.sort { ($0.intervalStart?.seconds ?? 0, $0.channel.rawValue) < ($1.intervalStart?.seconds ?? 0, $1.channel.rawValue) }
        response.gaps.sort { ($0.startTime?.seconds ?? 0, $0.channel.rawValue) < ($1.startTime?.seconds ?? 0, $1.channel.rawValue) }
        return response
    }

    /// Edits (or fills) one reading as EDITED, or marks it INVALID; the value and quality from
    /// before the first edit are kept. `editor` is the caller's subject.
    public func editReading(_ request: EditReadingRequest, editor: String) async throws -> EditReadingResponse {
        let reason = request.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw MeteringError.invalid("reason is required") }
        guard request.kind.isSpecified else { throw MeteringError.invalid("kind is required (INTERVAL, DAILY or MONTHLY)") }
        guard request.channel.isSpecified else { throw MeteringError.invalid("channel is required (DELIVERED or RECEIVED)") }
        let point = try await meterPoint(request.meterPointID)
        let now = clock.epochSeconds()
        let start: Int64
        var newMilli: Int64?
        do {
            start = try ReadingChecks.checkStart(request.intervalStart, kind: request.kind, point: point, now: now)
            if !request.markInvalid {
                newMilli = try ReadingChecks.checkValue(request.value, channel: request.channel, point: point)
            }
        } catch {
            throw MeteringError.invalid("\(error.field): \(error.message)")
        }
        let editMs = clock.epochMilliseconds()
        let edited = newMilli
        return try await store.idempotentWrite(request, requestID: \.requestID, method: "EditReading") { tx in
            let keyValues: [any SQLValueConvertible] = [point.seq, Int64(request.kind.rawValue), start, Int64(request.channel.rawValue)]
            let stored = try tx.queryOne(
                "SELECT milli, quality, edit_ms FROM readings WHERE meter_seq = ? AND kind = ? AND start_s = ? AND channel = ?",
                parameters: keyValues)
            let quality: ReadingQuality = request.markInvalid ? .invalid : .edited
            if let stored {
                let firstEdit = (try stored["edit_ms"] as Int64?) == nil
                let milli = try edited ?? stored["milli"]
                let values: [any SQLValueConvertible] = [milli, Int64(quality.rawValue), editMs, reason, editor, editMs, firstEdit, firstEdit]
                try tx.execute(
                    """
                    UPDATE readings SET milli = ?, quality = ?, record_ms = ?, edit_reason = ?, editor = ?, edit_ms = ?,
                        original_milli = CASE WHEN ? THEN milli ELSE original_milli END,
                        original_quality = CASE WHEN ? THEN quality ELSE original_quality END
                    WHERE meter_seq = ? AND kind = ? AND start_s = ? AND channel = ?
                    """,
                    parameters: values + keyValues)
            } else {
                guard let milli = edited else {
                    throw MeteringError.notFound("reading at \(start)s of meter point", point.id)
                }
                let values: [any SQLValueConvertible] = [milli, Int64(quality.rawValue), editMs, reason, editor, editMs]
                try tx.execute(
                    """
                    INSERT INTO readings (meter_seq, kind, start_s, channel, milli, quality, record_ms, edit_reason, editor, edit_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    parameters: keyValues + values)
            }
            let row = try tx.queryOne(
                "SELECT \(ReadingTable.fullColumns) FROM readings WHERE meter_seq = ? AND kind = ? AND start_s = ? AND channel = ?",
                parameters: keyValues)
            guard let row else { throw MeteringError.unreadable("reading") }
            let reading = try ReadingTable.message(row, of: point)
            return EditReadingResponse.with { $0.reading = reading }
        }
    }
}
