import Foundation
import GatewayAPI
import MeteringAPI
import ProtoRuntime
import QuantumTypes
import RPCCore

/// Checks gateway requests before any downstream call: bad input is INVALID_ARGUMENT naming
/// the field, and nothing is called.
public enum GatewayRequestValidation {
    public static func validate(_ request: GetCustomerOverviewRequest) throws {
        try requireID(request.customerID, field: "customer_id", prefix: "CUS-")
        if let window = request.consumptionWindow {
            guard window.swiftDuration > .zero, window.swiftDuration <= .seconds(400 * 86_400) else {
                throw invalid("consumption_window must be positive and at most 400 days")
            }
        }
        switch request.bucketSize {
        case .unspecified, .hour, .day, .month: break
        case .unrecognized(let value): throw invalid("bucket_size \(value) is not a known BucketSize")
        }
        try requireLimit(request.recentTransactionLimit, field: "recent_transaction_limit")
        try requireLimit(request.recentInteractionLimit, field: "recent_interaction_limit")
    }

    public static func validate(_ request: GetPremiseOverviewRequest) throws {
        try requireID(request.premiseID, field: "premise_id", prefix: "PRM-")
    }

    public static func validate(_ request: GetOutageImpactRequest) throws {
        switch request.subject {
        case .outageID(let id): try requireID(id, field: "outage_id", prefix: "OUT-")
        case .assetID(let id): try requireID(id, field: "asset_id", prefix: "AST-")
        case nil: throw invalid("subject is required: set outage_id or asset_id")
        }
        guard request.maxItems >= 0 else { throw invalid("max_items must not be negative (0 means 10,000)") }
    }

    public static func validate(_ request: BillAccountRequest) throws {
        try requireID(request.accountID, field: "account_id", prefix: "ACC-")
        guard let period = request.billingPeriod, let start = period.startDate, let end = period.endDate else {
            throw invalid("billing_period with start_date and end_date is required")
        }
        guard let first = dayNumber(start) else { throw invalid("billing_period.start_date is not a valid date") }
        guard let last = dayNumber(end) else { throw invalid("billing_period.end_date is not a valid date") }
        guard first <= last else { throw invalid("billing_period.start_date must not be after billing_period.end_date") }
        guard !request.requestID.isEmpty else { throw invalid("request_id is required (it makes BillAccount idempotent)") }
    }

    public static func validate(_ request: GetReliabilityReportRequest) throws {
        guard let period = request.period, let start = period.startTime, let end = period.endTime else {
            throw invalid("period with start_time and end_time is required")
        }
        guard start < end else { throw invalid("period.start_time must be before period.end_time") }
        if let threshold = request.momentaryThreshold, threshold.swiftDuration < .zero {
            throw invalid("momentary_threshold must not be negative")
        }
        if case .unrecognized(let value) = request.commodity { throw invalid("commodity \(value) is not a known Commodity") }
    }

    // MARK: Pieces

    private static func requireID(_ value: String, field: String, prefix: String) throws {
        guard !value.isEmpty else { throw invalid("\(field) is required") }
        guard value.hasPrefix(prefix), value.count <= 128 else {
            throw invalid("\(field) '\(value.prefix(128))' is not a \(prefix) id")
        }
    }

    private static func requireLimit(_ value: Int32, field: String) throws {
        guard (0...100).contains(value) else { throw invalid("\(field) must be 0…100 (0 means 10), got \(value)") }
    }

    /// Days since an arbitrary epoch for a real Gregorian date; nil when the date does not exist.
    private static func dayNumber(_ date: CalendarDate) -> Int? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: Int(date.year), month: Int(date.month), day: Int(date.day))
        guard (1...9999).contains(date.year), (1...12).contains(date.month), (1...31).contains(date.day),
              let day = calendar.date(from: components), calendar.component(.day, from: day) == Int(date.day) else { return nil }
        return Int(day.timeIntervalSince1970 / 86_400)
    }

    private static func invalid(_ message: String) -> RPCError { RPCError(code: .invalidArgument, message: message) }
}
