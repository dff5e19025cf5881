import CoreMetrics
import Foundation
import ProtoRuntime
import QuantumTypes

/// The append-only audit trail of cross-boundary reads and separation denials (issue 11), in
/// the `audit_records` table every domain service's schema has:
///
/// ```sql
/// CREATE TABLE audit_records (
///     id TEXT PRIMARY KEY, body BLOB NOT NULL, record_ms INTEGER NOT NULL,
///     subject TEXT NOT NULL, decision INTEGER NOT NULL, caller_business_unit INTEGER NOT NULL,
///     customer_id TEXT NOT NULL, resource_id TEXT NOT NULL, method TEXT NOT NULL);
/// ```
///
/// Rows are only ever inserted (never updated or deleted). Each appended record is counted in
/// `audit_records_total{decision=…}`.
public struct AuditTrail: Sendable {
    let store: any Store
    private let ids: ResourceIDGenerator
    private let metricsFactory: (any MetricsFactory)?

    /// - Parameter metricsFactory: where the counter goes; nil = the process's global
    ///   metrics system (bootstrapped by `main`).
    public init(store: any Store, ids: ResourceIDGenerator = .shared, metricsFactory: (any MetricsFactory)? = nil) {
        self.store = store
        self.ids = ids
        self.metricsFactory = metricsFactory
    }

    /// Writes the records in one transaction (durable when this returns), assigning each an id
    /// (`AUD-`) and, when unset, the current time. Returns them as stored.
    @discardableResult
    public func append(_ records: [AuditRecord]) async throws -> [AuditRecord] {
        guard !records.isEmpty else { return [] }
        let now = TimeColumns.timestamp(from: Date())
        let stored = records.map { record in
            var record = record
            record.auditRecordID = ids.make(prefix: "AUD")
            if record.recordTime == nil { record.recordTime = now }
            return record
        }
        try await store.write { tx in
            for record in stored {
                try tx.execute(
                    """
                    INSERT INTO audit_records (id, body, record_ms, subject, decision, caller_business_unit, customer_id, resource_id, method)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    record.auditRecordID, record.protobufBytes(), TimeColumns.milliseconds(record.recordTime ?? now),
                    record.subject, Int64(record.decision.rawValue), Int64(record.callerBusinessUnit.rawValue),
                    record.customerID, record.resourceID, record.method)
            }
        }
        for record in stored { counter(record.decision).increment() }
        return stored
    }

    private func counter(_ decision: AuditDecision) -> CoreMetrics.Counter {
        let dimensions = [("decision", Self.name(decision))]
        if let metricsFactory {
            return CoreMetrics.Counter(label: "audit_records_total", dimensions: dimensions, factory: metricsFactory)
        }
        return CoreMetrics.Counter(label: "audit_records_total", dimensions: dimensions)
    }

    private static func name(_ decision: AuditDecision) -> String {
        switch decision {
        case .allowedByConsent: "allowed_by_consent"
        case .allowedByCorporateRole: "allowed_by_corporate_role"
        case .denied: "denied"
        case .filtered: "filtered"
        default: "unspecified"
        }
    }
}
