/// How one meter point's 15-minute data looks: a load shape scaled to the premise, optional
/// rooftop solar (which makes the meter export on the RECEIVED channel around midday), and the
/// planned defects that validation (VEE) should find: gaps (rows left out) and spikes.
public struct ReadingProfile: Sendable, Hashable {
    public enum Shape: Sendable, Hashable { case residential, commercial }

    public var shape: Shape
    /// Overnight base load per interval, milli-kWh.
    public var baseMilli: Int64
    /// Extra load at the daily peak per interval, milli-kWh.
    public var peakMilli: Int64
    /// Solar generation per interval at clear-sky noon, milli-kWh; 0 = no solar.
    public var solarPeakMilli: Int64
    /// Seed of this meter's noise stream.
    public var noiseSeed: UInt64
    /// Planned missing intervals: (first interval start, number of intervals).
    public var gaps: [ReadingGap]
    /// Interval starts whose delivered value is a spike (about 12× the usual).
    public var spikes: [Int64]
    public var timeZone: String

    public var hasSolar: Bool { solarPeakMilli > 0 }

    public static let intervalSeconds: Int64 = 900
    public static let intervalsPerDay = 96
}

public struct ReadingGap: Sendable, Hashable {
    public var start: Int64
    public var count: Int

    public func contains(_ intervalStart: Int64) -> Bool {
        intervalStart >= start && intervalStart < start + Int64(count) * ReadingProfile.intervalSeconds
    }
}
