import Foundation
import ProtoRuntime
import QuantumTypes

/// Instants and calendar dates between Foundation and the proto types.
enum TimeConversion {
    static func timestamp(_ date: Date) -> Timestamp {
        let interval = date.timeIntervalSince1970
        let seconds = interval.rounded(.down)
        return Timestamp(seconds: Int64(seconds), nanos: Int32(((interval - seconds) * 1e9).rounded(.down)))
    }

    static func date(_ timestamp: Timestamp) -> Date {
        Date(timeIntervalSince1970: TimeInterval(timestamp.seconds) + TimeInterval(timestamp.nanos) / 1e9)
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
