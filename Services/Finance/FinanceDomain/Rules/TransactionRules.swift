import FinanceAPI
import ProtoRuntime
import QuantumTypes
import RPCCore

/// What a ledger entry must look like. The sign of the amount is fixed by its type, so a
/// payment can never be posted as a charge by a sign slip.
public enum TransactionRules {
    /// The entry to store for a post: id, post time, effective time (default: post time) and
    /// request id filled in; everything else checked.
    public static func forPost(
        _ requested: FinancialTransaction, requestID: String, id: String, now: Timestamp
    ) throws(RPCError) -> FinancialTransaction {
        var transaction = requested
        try FieldRules.id(transaction.accountID, prefix: "ACC", "transaction.account_id")
        try FieldRules.specified(transaction.transactionType, "transaction.transaction_type")
        try FieldRules.specified(transaction.regulatoryScope, "transaction.regulatory_scope")
        let amount = try FieldRules.money(transaction.amount, "transaction.amount")
        try checkSign(amount.minorUnits, for: transaction.transactionType)
        try FieldRules.timestamp(transaction.effectiveTime, "transaction.effective_time")
        try FieldRules.id(transaction.billID, prefix: "BIL", "transaction.bill_id", required: false)
        for (value, field) in [(transaction.reference, "reference"), (transaction.ledgerAccount, "ledger_account"), (transaction.memo, "memo")] {
            try FieldRules.text(value, "transaction.\(field)")
        }
        transaction.transactionID = id
        transaction.postTime = now
        // Whole milliseconds: the store's resolution, so reads return exactly what the post did.
        transaction.effectiveTime = Timestamp(milliseconds: (transaction.effectiveTime ?? now).milliseconds)
        transaction.requestID = requestID
        return transaction
    }

    /// CHARGE and REFUND add to what is owed (> 0), PAYMENT reduces it (< 0), ADJUSTMENT is either way (≠ 0).
    static func checkSign(_ minorUnits: Int64, for type: TransactionType) throws(RPCError) {
        let ok: Bool
        let expected: String
        switch type {
        case .charge, .refund: (ok, expected) = (minorUnits > 0, "positive")
        case .payment: (ok, expected) = (minorUnits < 0, "negative")
        default: (ok, expected) = (minorUnits != 0, "non-zero")
        }
        guard ok else {
            throw Fail.invalid(
                "transaction.amount.minor_units is \(minorUnits) but a \(type.protoName ?? "\(type.rawValue)") amount must be \(expected)")
        }
    }
}
