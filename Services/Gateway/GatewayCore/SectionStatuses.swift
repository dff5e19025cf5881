import Foundation
import QuantumTypes
import RPCCore

/// Turns the outcome of one downstream call into a `quantum.type.v1.SectionStatus`.
public enum SectionStatuses {
    /// What a NOT_FOUND from the downstream means for a section.
    public enum NotFoundMeaning: Sendable {
        /// Something that should exist is missing: FAILED.
        case failed
        /// Nothing to show (e.g. a meter point without readings): NOT_APPLICABLE.
        case notApplicable
    }

    public static func ok(_ service: DownstreamService) -> SectionStatus {
        .with {
            $0.state = .ok
            $0.service = service.protoServiceName
        }
    }

    public static func notApplicable(_ service: DownstreamService, _ message: String) -> SectionStatus {
        .with {
            $0.state = .notApplicable
            $0.message = message
            $0.service = service.protoServiceName
        }
    }

    /// FAILED, or WITHHELD for PERMISSION_DENIED, or NOT_APPLICABLE for NOT_FOUND when asked.
    public static func from(_ error: RPCError, service: DownstreamService, notFound: NotFoundMeaning = .failed) -> SectionStatus {
        var status = SectionStatus()
        status.code = Int32(error.code.rawValue)
        status.service = service.protoServiceName
        switch error.code {
        case .permissionDenied:
            status.state = .withheld
            status.message = error.message
            status.rule = rule(fromMessage: error.message)
        case .notFound where notFound == .notApplicable:
            status.state = .notApplicable
            status.message = error.message
        default:
            status.state = .failed
            status.message = failureMessage(error, service: service)
        }
        return status
    }

    /// The status of one entry of a batch answer that carries its own gRPC status code and
    /// message (0 = OK), mapped as if that entry had been its own call.
    public static func entry(code: Int32, message: String, service: DownstreamService) -> SectionStatus {
        guard code != 0 else { return ok(service) }
        let code = StatusCode(rawValue: Int(code)) ?? .unknown
        return from(RPCError(code: code, message: message), service: service)
    }

    /// "metering-service: UNAVAILABLE: cannot connect to …": names the service and the code.
    public static func failureMessage(_ error: RPCError, service: DownstreamService) -> String {
        "\(service.displayName): \(error.code.name)" + (error.message.isEmpty ? "" : ": \(error.message)")
    }

    /// The separation rule a service named in a PERMISSION_DENIED message: the services write
    /// "separation rule affiliate.regulated-data: …" (SeparationPolicy.deniedMessage); "… (rule
    /// affiliate.regulated-data)" is accepted too. Empty when the message names none.
    public static func rule(fromMessage message: String) -> String {
        for (opening, closing) in [("separation rule ", ":" as Character), ("(rule ", ")" as Character)] {
            guard let start = message.range(of: opening) else { continue }
            let rest = message[start.upperBound...]
            guard let end = rest.firstIndex(of: closing) else { continue }
            let rule = rest[..<end].trimmingCharacters(in: .whitespaces)
            if !rule.isEmpty, !rule.contains(" ") { return rule }
        }
        return ""
    }
}
