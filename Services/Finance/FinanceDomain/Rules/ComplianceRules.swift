import FinanceAPI
import ProtoRuntime
import QuantumTypes
import RPCCore

/// What a compliance record must look like, and which fields an update may change.
public enum ComplianceRules {
    static func validate(_ record: ComplianceRecord) throws(RPCError) {
        try FieldRules.text(record.standard, "record.standard", required: true)
        _ = try FieldRules.date(record.assessmentDate, "record.assessment_date")
        try FieldRules.known(record.outcome, "record.outcome")
        try FieldRules.known(record.regulatoryScope, "record.regulatory_scope")
        for (value, field) in [(record.requirement, "requirement"), (record.evidence, "evidence"), (record.evidenceURI, "evidence_uri")] {
            try FieldRules.text(value, "record.\(field)")
        }
    }

    /// The fields UpdateComplianceRecord may change, and how.
    static let updatable: [String: @Sendable (inout ComplianceRecord, ComplianceRecord) -> Void] = [
        "requirement": { $0.requirement = $1.requirement },
        "evidence": { $0.evidence = $1.evidence },
        "evidence_uri": { $0.evidenceURI = $1.evidenceURI },
        "assessment_date": { $0.assessmentDate = $1.assessmentDate },
        "outcome": { $0.outcome = $1.outcome },
    ]

    static func updated(_ current: ComplianceRecord, patch: ComplianceRecord, mask: FieldMask?, now: Timestamp) throws(RPCError) -> ComplianceRecord {
        guard let mask, !mask.paths.isEmpty else {
            throw Fail.invalid("update_mask is required: name the fields to change (\(updatable.keys.sorted().joined(separator: ", ")))")
        }
        var record = current
        for path in mask.paths {
            guard let apply = updatable[path] else {
                throw Fail.invalid("update_mask path '\(path)' cannot be updated; allowed: \(updatable.keys.sorted().joined(separator: ", "))")
            }
            apply(&record, patch)
        }
        record.updateTime = now
        try validate(record)
        return record
    }
}
