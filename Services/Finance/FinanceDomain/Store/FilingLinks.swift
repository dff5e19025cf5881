import FinanceAPI
import ServiceKit

/// The many-to-many links between filings and compliance records. Links are output-only on
/// both resources, so they live only here and are added to each resource as it is read.
enum FilingLinks {
    static func recordIDs(ofFiling filingID: String, _ db: any StoreReading) throws -> [String] {
        try db.query("SELECT compliance_record_id FROM filing_links WHERE filing_id = ? ORDER BY compliance_record_id", filingID)
            .map { try $0.get(0, as: String.self) }
    }

    static func filingIDs(ofRecord recordID: String, _ db: any StoreReading) throws -> [String] {
        try db.query("SELECT filing_id FROM filing_links WHERE compliance_record_id = ? ORDER BY filing_id", recordID)
            .map { try $0.get(0, as: String.self) }
    }

    static func withLinks(_ filing: RegulatoryFiling, _ db: any StoreReading) throws -> RegulatoryFiling {
        var filing = filing
        filing.complianceRecordIDs = try recordIDs(ofFiling: filing.filingID, db)
        return filing
    }

    static func withLinks(_ record: ComplianceRecord, _ db: any StoreReading) throws -> ComplianceRecord {
        var record = record
        record.filingIDs = try filingIDs(ofRecord: record.complianceRecordID, db)
        return record
    }

    /// Adds the link; false when it already existed (linking twice is a no-op).
    static func link(filing: String, record: String, _ tx: any StoreWriting) throws -> Bool {
        guard try tx.queryOne("SELECT 1 FROM filing_links WHERE filing_id = ? AND compliance_record_id = ?", filing, record) == nil else {
            return false
        }
        try tx.execute("INSERT INTO filing_links (filing_id, compliance_record_id) VALUES (?, ?)", filing, record)
        return true
    }

    /// Removes the link; false when there was none.
    static func unlink(filing: String, record: String, _ tx: any StoreWriting) throws -> Bool {
        try tx.execute("DELETE FROM filing_links WHERE filing_id = ? AND compliance_record_id = ?", filing, record) > 0
    }
}
