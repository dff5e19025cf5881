import MeteringAPI
import ProtoRuntime
import ServiceKit

extension MeteringOperations {
    /// One page of StreamReadings: readings after `after` (interval start, channel), in that order.
    public struct ReadingCursor: Sendable, Equatable {
        let startSeconds: Int64
        let channel: Int32
    }

    /// The checked parameters of a StreamReadings call.
    public struct ReadingStreamPlan: Sendable {
        let point: StoredMeterPoint
        let range: SecondsRange
        let kind: ReadingKind
        let channel: ReadingChannel
        let includeInvalid: Bool
        public let chunkSize: Int
    }

    public func planReadingStream(_ request: StreamReadingsRequest) async throws -> ReadingStreamPlan {
        let range = try SecondsRange(request.timeRange, field: "time_range")
        guard request.chunkSize >= 0 else { throw MeteringError.invalid("chunk_size must not be negative") }
        let kind = request.kind == .unspecified ? ReadingKind.interval : request.kind
        guard kind.isSpecified else { throw MeteringError.invalid("kind: unknown value \(kind.rawValue)") }
        guard request.channel == .unspecified || request.channel.isSpecified else {
            throw MeteringError.invalid("channel: unknown value \(request.channel.rawValue)")
        }
        let point = try await meterPoint(request.meterPointID)
        let chunk = request.chunkSize == 0 ? 1000 : min(Int(request.chunkSize), 10_000)
        return ReadingStreamPlan(
            point: point, range: range, kind: kind, channel: request.channel, includeInvalid: request.includeInvalid, chunkSize: chunk)
    }

    /// The next chunk of the stream after `cursor` (nil: from the start), in its own read
    /// snapshot, so a slow reader holds no connection between chunks; nil cursor back = done.
    public func readingChunk(_ plan: ReadingStreamPlan, after cursor: ReadingCursor?) async throws -> (readings: [MeterReading], next: ReadingCursor?) {
        var conditions = SQLConditions()
        conditions.add("meter_seq = ?", .integer(plan.point.seq))
        conditions.add("kind = ?", .integer(Int64(plan.kind.rawValue)))
        conditions.add("start_s >= ? AND start_s < ?", .integer(plan.range.start), .integer(plan.range.end))
        if plan.channel != .unspecified { conditions.add("channel = ?", .integer(Int64(plan.channel.rawValue))) }
        if !plan.includeInvalid { conditions.add("quality <> ?", .integer(Int64(ReadingQuality.invalid.rawValue))) }
        if let cursor {
            conditions.add("(start_s, channel) > (?, ?)", .integer(cursor.startSeconds), .integer(Int64(cursor.channel)))
        }
        let sql = "SELECT \(ReadingTable.fullColumns) FROM readings\(conditions.whereClause) ORDER BY start_s, channel LIMIT ?"
        let readings = try await store.read { [conditions] db in
            try db.query(sql, parameters: conditions.parameters + [SQLValue.integer(Int64(plan.chunkSize))]).map {
                try ReadingTable.message($0, of: plan.point)
            }
        }
        guard readings.count == plan.chunkSize, let last = readings.last, let start = last.intervalStart else { return (readings, nil) }
        return (readings, ReadingCursor(startSeconds: start.seconds, channel: last.channel.rawValue))
    }

    /// The reading with the latest interval_start of the kind and channel, INVALID skipped.
    public func getLatestReading(_ request: GetLatestReadingRequest) async throws -> GetLatestReadingResponse {
        let kind = request.kind == .unspecified ? ReadingKind.interval : request.kind
        let channel = request.channel == .unspecified ? ReadingChannel.delivered : request.channel
        guard kind.isSpecified, channel.isSpecified else { throw MeteringError.invalid("kind or channel is an unknown value") }
        let point = try await meterPoint(request.meterPointID)
        let reading = try await store.read { db in
            try db.queryOne(
                "SELECT \(ReadingTable.fullColumns) FROM readings WHERE meter_seq = ? AND kind = ? AND channel = ? AND quality <> ? "
                    + "ORDER BY start_s DESC LIMIT 1",
                point.seq, Int64(kind.rawValue), Int64(channel.rawValue), Int64(ReadingQuality.invalid.rawValue)
            ).map { try ReadingTable.message($0, of: point) }
        }
        guard let reading else {
            throw MeteringError.notFound("\(kind.displayName) \(channel.displayName) reading of meter point", point.id)
        }
        return .with { $0.reading = reading }
    }
}
