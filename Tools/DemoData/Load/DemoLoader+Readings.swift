import MeteringAPI
import ProtoRuntime
import QuantumTypes

/// The bulk: 15-minute readings, generated one meter at a time and sent over client streams,
/// each stream carrying a few meters and each message one meter's whole window (96 rows per
/// meter-day, twice that with a solar export channel), with `concurrency` streams in flight.
extension DemoLoader {
    static let metersPerStream = 8
    static let maximumRowsPerMessage = 10_000

    func ingestReadings(_ ids: IDs) async throws -> Int {
        let name = "readings"
        let groups = (plan.meterPoints.count + Self.metersPerStream - 1) / Self.metersPerStream
        progress.begin(name, total: plannedReadingCount)
        do {
            let counts = try await concurrentMap(groups, limit: concurrency) { group in
                let meters = Array((group * Self.metersPerStream)..<min(plan.meterPoints.count, (group + 1) * Self.metersPerStream))
                return try await ingest(meters, ids)
            }
            progress.end()
            return counts.reduce(0, +)
        } catch {
            throw LoadError(phase: name, error)
        }
    }

    /// The number of rows the plan describes (every interval of the window, both channels for
    /// solar, minus the planned gaps).
    var plannedReadingCount: Int {
        let intervals = plan.parameters.days * ReadingProfile.intervalsPerDay
        return plan.meterPoints.reduce(0) { total, meter in
            let missing = meter.profile.gaps.reduce(0) { $0 + $1.count }
            return total + (intervals - missing) * (meter.profile.hasSolar ? 2 : 1)
        }
    }

    private func ingest(_ meters: [Int], _ ids: IDs) async throws -> Int {
        let batches = meters.flatMap { messages(for: $0, meterPointID: ids.meterPoints[$0]) }
        let sent = batches.reduce(0) { $0 + $1.readings.count }
        let response = try await clients.metering.ingestReadings(options: clients.options(timeout: .seconds(600))) { writer in
            for batch in batches { try await writer.write(batch) }
        }
        let summary = response.summary ?? IngestSummary()
        if summary.rejectedCount > 0 {
            let first = summary.rejections.first.map { "\($0.field): \($0.message)" } ?? ""
            throw LoadError(phase: "readings", status: "FAILED_PRECONDITION",
                            message: "metering-service rejected \(summary.rejectedCount) of \(sent) readings; first: \(first)")
        }
        progress.advance(sent)
        return Int(summary.acceptedCount + summary.duplicateCount)
    }

    /// One meter's readings over the window, as messages of at most `maximumRowsPerMessage` rows.
    private func messages(for meter: Int, meterPointID: String) -> [IngestReadingsRequest] {
        let profile = plan.meterPoints[meter].profile
        let generator = ReadingGenerator(timeZone: profile.timeZone)
        var rows: [MeterReading] = []
        for day in stride(from: plan.parameters.windowStart, to: plan.parameters.windowEnd, by: 86_400) {
            for reading in generator.readings(profile, dayStart: day) {
                rows.append(.with {
                    $0.meterPointID = meterPointID
                    $0.intervalStart = Timestamp(seconds: reading.start)
                    $0.kind = .interval
                    $0.channel = reading.channel == .delivered ? .delivered : .received
                    $0.value = .with { $0.milliValue = reading.milli; $0.unit = .kwh }
                    $0.quality = .actual
                })
            }
        }
        return stride(from: 0, to: rows.count, by: Self.maximumRowsPerMessage).map { start in
            .with { $0.readings = Array(rows[start..<min(rows.count, start + Self.maximumRowsPerMessage)]) }
        }
    }
}
