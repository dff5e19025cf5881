import Foundation

/// One generated interval value, before it becomes a `MeterReading`.
public struct GeneratedReading: Sendable, Hashable {
    public enum Channel: Sendable, Hashable { case delivered, received }
    public var start: Int64
    public var channel: Channel
    public var milli: Int64
}

/// Turns a ``ReadingProfile`` into the readings of one UTC day, deterministically: the same
/// profile and day always give the same values, independent of any other meter or day.
public struct ReadingGenerator: Sendable {
    private let days: LocalDays

    public init(timeZone: String) { days = LocalDays(timeZone: timeZone) }

    /// The readings of the UTC day starting at `dayStart`, in interval order, delivered before
    /// received; planned gaps are left out, planned spikes included.
    public func readings(_ profile: ReadingProfile, dayStart: Int64) -> [GeneratedReading] {
        var random = SeededRandom(seed: profile.noiseSeed, stream: "day-\(dayStart)")
        let offset = days.utcOffset(at: dayStart + 43_200)
        let weekend = days.isoWeekday(at: dayStart + 43_200 + offset) >= 6
        let sunshine = 0.45 + 0.55 * random.unit()  // clouds: one factor per day
        var rows: [GeneratedReading] = []
        rows.reserveCapacity(profile.hasSolar ? 2 * ReadingProfile.intervalsPerDay : ReadingProfile.intervalsPerDay)
        for index in 0..<ReadingProfile.intervalsPerDay {
            let start = dayStart + Int64(index) * ReadingProfile.intervalSeconds
            let noise = 0.85 + 0.3 * random.unit()
            guard !profile.gaps.contains(where: { $0.contains(start) }) else { continue }
            let hour = Double(((start + offset) % 86_400 + 86_400) % 86_400) / 3600 + 0.125  // interval midpoint
            let load = (Double(profile.baseMilli) + Double(profile.peakMilli) * Self.loadFactor(profile.shape, hour: hour, weekend: weekend)) * noise
            let solar = Double(profile.solarPeakMilli) * sunshine * Self.solarFactor(hour: hour)
            // Load swings inside a net-metered interval, so some energy is imported even while the
            // panels out-produce the house; delivered − received is still load − solar.
            var delivered = Int64(max(load * 0.7, load - solar).rounded())
            if profile.spikes.contains(start) { delivered = max(delivered, profile.baseMilli + profile.peakMilli) * 12 }
            rows.append(GeneratedReading(start: start, channel: .delivered, milli: delivered))
            if profile.hasSolar {
                rows.append(GeneratedReading(start: start, channel: .received, milli: Int64(max(0, solar - load * 0.3).rounded())))
            }
        }
        return rows
    }

    /// Hourly sums of delivered energy over [from, to) (both on hour boundaries), in milli-kWh:
    /// the usage a bill is calculated from.
    public func hourlyDelivered(_ profile: ReadingProfile, from: Int64, to: Int64) -> [(start: Int64, milli: Int64)] {
        var sums: [Int64: Int64] = [:]
        var day = from - ((from % 86_400) + 86_400) % 86_400
        while day < to {
            for row in readings(profile, dayStart: day) where row.channel == .delivered && row.start >= from && row.start < to {
                sums[row.start - ((row.start % 3600) + 3600) % 3600, default: 0] += row.milli
            }
            day += 86_400
        }
        return stride(from: from, to: to, by: 3600).map { ($0, sums[$0] ?? 0) }
    }

    /// 0…1: how much of the peak load is on at a local hour.
    static func loadFactor(_ shape: ReadingProfile.Shape, hour: Double, weekend: Bool) -> Double {
        switch shape {
        case .residential:
            let morning = bump(hour, center: weekend ? 9 : 7.5, width: 1.3) * 0.55
            let midday = weekend ? bump(hour, center: 13, width: 3) * 0.35 : 0
            let evening = bump(hour, center: 19, width: 2.3)
            return min(1, morning + midday + evening)
        case .commercial:
            let open = hour >= 7.5 && hour < 18.5 ? 1.0 : 0.05
            return weekend ? open * 0.3 : open
        }
    }

    /// 0…1: clear-sky solar output at a local hour (sunrise 6:30, sunset 19:30).
    static func solarFactor(hour: Double) -> Double {
        guard hour > 6.5 && hour < 19.5 else { return 0 }
        return sin(Double.pi * (hour - 6.5) / 13)
    }

    private static func bump(_ hour: Double, center: Double, width: Double) -> Double {
        let distance = (hour - center) / width
        return exp(-0.5 * distance * distance)
    }
}
