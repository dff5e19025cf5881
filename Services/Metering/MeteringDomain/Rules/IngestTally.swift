import QuantumTypes

/// Why one row of a streamed batch is not stored.
struct RowProblem: Error, Sendable, Equatable {
    let reason: RejectionReason
    let field: String
    let message: String

    init(_ reason: RejectionReason, _ field: String, _ message: String) {
        self.reason = reason
        self.field = field
        self.message = message
    }
}

/// The running `IngestSummary` of one client-streaming ingestion (readings or DER samples).
struct IngestTally: Sendable {
    /// The summary lists at most this many rejected rows; `rejected_count` stays exact.
    static let listedRejectionLimit = 1000

    private(set) var summary = IngestSummary()

    mutating func batchReceived(rows: Int) {
        summary.batchCount += 1
        summary.receivedCount += Int64(rows)
    }

    mutating func accepted() { summary.acceptedCount += 1 }
    mutating func duplicate() { summary.duplicateCount += 1 }

    mutating func rejected(batch: Int32, row: Int, _ problem: RowProblem) {
        summary.rejectedCount += 1
        guard summary.rejections.count < Self.listedRejectionLimit else {
            summary.rejectionsTruncated = true
            return
        }
        summary.rejections.append(
            .with {
                $0.batchIndex = batch
                $0.rowIndex = Int32(row)
                $0.reason = problem.reason
                $0.field = problem.field
                $0.message = problem.message
            })
    }

    /// Adds the counts (batches and received rows included) and rejections of one committed batch.
    mutating func merge(_ batch: IngestTally) {
        summary.batchCount += batch.summary.batchCount
        summary.receivedCount += batch.summary.receivedCount
        summary.acceptedCount += batch.summary.acceptedCount
        summary.duplicateCount += batch.summary.duplicateCount
        let unlisted = batch.summary.rejectedCount - Int64(batch.summary.rejections.count)
        for rejection in batch.summary.rejections {
            summary.rejectedCount += 1
            if summary.rejections.count < Self.listedRejectionLimit {
                summary.rejections.append(rejection)
            } else {
                summary.rejectionsTruncated = true
            }
        }
        summary.rejectedCount += unlisted
        if unlisted > 0 { summary.rejectionsTruncated = true }
    }
}
