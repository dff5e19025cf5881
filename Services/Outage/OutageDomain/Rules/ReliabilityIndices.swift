import OutageAPI
import ProtoRuntime
import QuantumTypes

/// IEEE 1366 indices from restored interruptions. Exact integer arithmetic throughout: sums in
/// Int128, each index × 10^6 rounded half-even, 0 when its denominator is 0.
public enum ReliabilityCalculator {
    /// One restored interruption: customers interrupted and its duration in milliseconds.
    public struct Interruption: Sendable {
        public let customers: Int64
        public let durationMilliseconds: Int64

        public init(customers: Int64, durationMilliseconds: Int64) {
            self.customers = customers
            self.durationMilliseconds = durationMilliseconds
        }
    }

    public static func indices(
        _ interruptions: [Interruption], customersServed: Int64, momentaryThresholdMilliseconds: Int64
    ) -> ReliabilityIndices {
        var result = ReliabilityIndices()
        result.customersServed = customersServed
        var customerMilliseconds: Int128 = 0
        for interruption in interruptions {
            if interruption.durationMilliseconds < momentaryThresholdMilliseconds {
                result.momentaryEventCount += 1
                result.customerMomentaryInterruptions += interruption.customers
            } else {
                result.sustainedEventCount += 1
                result.customersInterrupted += interruption.customers
                customerMilliseconds += Int128(interruption.customers) * Int128(interruption.durationMilliseconds)
            }
        }
        let served = Int128(customersServed), interrupted = Int128(result.customersInterrupted)
        result.customerInterruptionSeconds = divideHalfEven(customerMilliseconds, 1000)
        result.saifiMicro = divideHalfEven(interrupted * 1_000_000, served)
        result.saidiMinutesMicro = divideHalfEven(customerMilliseconds * 1_000_000, 60_000 * served)
        result.caidiMinutesMicro = divideHalfEven(customerMilliseconds * 1_000_000, 60_000 * interrupted)
        result.maifiMicro = divideHalfEven(Int128(result.customerMomentaryInterruptions) * 1_000_000, served)
        return result
    }

    /// numerator ÷ denominator rounded half-even; 0 for a zero denominator (per the proto).
    public static func divideHalfEven(_ numerator: Int128, _ denominator: Int128) -> Int64 {
        guard denominator != 0 else { return 0 }
        var quotient = numerator / denominator
        let twice = (numerator % denominator).magnitude * 2
        if twice > denominator.magnitude || (twice == denominator.magnitude && quotient % 2 != 0) {
            quotient += (numerator < 0) != (denominator < 0) ? -1 : 1
        }
        return Int64(clamping: quotient)
    }
}
