import CustomerAPI
import Foundation
import GatewayAPI
import OutageAPI
import ProtoRuntime
import QuantumTypes

/// GetReliabilityReport, both steps essential: customers served at the period's end (or now,
/// if that is earlier) from customer-service, then the indices from outage-service with that
/// count as NT.
extension FanOut {

    public func reliabilityReport(_ request: GetReliabilityReportRequest, now: Date = Date()) async throws -> GetReliabilityReportResponse {
        let period = request.period ?? TimeRange()
        let asOf = Self.customersServedInstant(periodEnd: period.endTime, now: TimeConversion.timestamp(now))
        let commodity = request.commodity == .unspecified ? .electric : request.commodity
        let served = try await call.essential(.customer) { options in
            try await clients.customer.countCustomersServed(
                .with {
                    $0.commodity = commodity
                    $0.asOfTime = asOf
                }, options: options)
        }
        let indices = try await call.essential(.outage) { options in
            try await clients.outage.getReliabilityIndices(
                .with {
                    $0.period = period
                    $0.customersServed = served.customersServed
                    $0.commodity = commodity
                    $0.momentaryThreshold = request.momentaryThreshold
                }, options: options
            ).indices
        }
        return .with {
            $0.indices = indices
            $0.customersServedAsOfTime = served.asOfTime ?? asOf
            $0.customersServedByScope = [
                .with {
                    $0.regulatoryScope = .regulated
                    $0.customersServed = served.regulatedCount
                },
                .with {
                    $0.regulatoryScope = .nonRegulated
                    $0.customersServed = served.nonRegulatedCount
                },
            ]
        }
    }

    /// The instant customers are counted at: the period's end, or now when the end is later.
    public static func customersServedInstant(periodEnd: ProtoRuntime.Timestamp?, now: ProtoRuntime.Timestamp) -> ProtoRuntime.Timestamp {
        guard let periodEnd else { return now }
        return min(periodEnd, now)
    }
}
