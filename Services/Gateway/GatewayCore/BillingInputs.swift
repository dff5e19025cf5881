import FinanceAPI
import Foundation
import MeteringAPI
import ProtoRuntime
import QuantumTypes
import RPCCore

/// The pure steps of BillAccount: which tariff the account's agreements point at, the instants
/// a billing period covers in the tariff's time zone, and the usage intervals from a profile.
public enum BillingInputs {
    /// The single tariff among the products of the account's active agreements, or
    /// FAILED_PRECONDITION naming what is wrong.
    public static func tariffID(agreements: [(agreementID: String, productID: String)], tariffByProduct: [String: String],
                                accountID: String) throws -> (tariffID: String, agreementIDs: [String]) {
        let billed = agreements.filter { !(tariffByProduct[$0.productID] ?? "").isEmpty }
        let tariffs = Set(billed.compactMap { tariffByProduct[$0.productID] })
        guard let tariffID = tariffs.first else {
            throw RPCError(code: .failedPrecondition,
                           message: "account '\(accountID)' has no active service agreement with a tariff-priced product")
        }
        guard tariffs.count == 1 else {
            throw RPCError(code: .failedPrecondition,
                           message: "account '\(accountID)' has active agreements on several tariffs (\(tariffs.sorted().joined(separator: ", "))); bill them separately")
        }
        return (tariffID, billed.map(\.agreementID).sorted())
    }

    /// [first day 00:00, day after the last 00:00) in `timeZone`; nil for an unknown zone or a
    /// date that does not exist.
    public static func timeRange(of period: DateRange, timeZone: String) -> TimeRange? {
        guard let zone = TimeZone(identifier: timeZone.isEmpty ? "UTC" : timeZone),
              let first = period.startDate, let last = period.endDate else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        func midnight(_ date: CalendarDate) -> Date? {
            let components = DateComponents(year: Int(date.year), month: Int(date.month), day: Int(date.day))
            guard let day = calendar.date(from: components),
                  calendar.component(.day, from: day) == Int(date.day) else { return nil }
            return calendar.startOfDay(for: day)
        }
        guard let start = midnight(first), let lastStart = midnight(last), start <= lastStart,
              let end = calendar.date(byAdding: .day, value: 1, to: lastStart) else { return nil }
        return .with {
            $0.startTime = TimeConversion.timestamp(start)
            $0.endTime = TimeConversion.timestamp(end)
        }
    }

    /// One usage interval per bucket with delivered energy (empty buckets add nothing to a bill).
    public static func usage(from profile: ConsumptionProfile) -> [UsageInterval] {
        profile.buckets.compactMap { bucket in
            guard let delivered = bucket.delivered, delivered.milliValue > 0,
                  let start = bucket.startTime, let end = bucket.endTime else { return nil }
            return UsageInterval.with {
                $0.startTime = start
                $0.length = ProtoDuration(seconds: end.seconds - start.seconds, nanos: end.nanos - start.nanos)
                $0.energy = delivered.unit == .unspecified
                    ? .with { $0.milliValue = delivered.milliValue; $0.unit = profile.unit }
                    : delivered
            }
        }
    }
}
