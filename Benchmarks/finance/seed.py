#!/usr/bin/env python3
"""Seeds one finance account with N ledger transactions and writes the GetBalance h2load body.

Usage: seed.py DB_PATH N BODY_DIR
The store must exist and be migrated (start finance-service once on the data dir, then stop
it). Rows go straight into the `transactions` table in one SQLite transaction: through the
API every post is its own fsync'ed commit (plus an idempotency row), which would make
seeding 100k entries the slow part of the benchmark. Columns mirror
Services/Finance/FinanceDomain/Store/FinanceSchema.swift and FinanceTables.swift (body =
the full FinancialTransaction protobuf; account_id, transaction_type, amount, currency,
effective_ms derived from it); keep them in step. Amounts alternate charges (+1234) and
payments (-1000), all USD, effective times 1 ms apart in 2025.
Prints: ACCOUNT_ID EXPECTED_MINOR_UNITS (the run script checks GetBalance against them)."""
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from finance_stubs import load_stubs, grpc_frame, account_id  # noqa: E402

# 26 Crockford base32 characters for the transaction ids (index in base32, zero-padded).
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def b32(n, width=26):
    digits = []
    for _ in range(width):
        digits.append(CROCKFORD[n & 31])
        n >>= 5
    return "".join(reversed(digits))


def main():
    db_path, count, body_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    ledger, s, _, money, scope = load_stubs()
    account = account_id(1)
    base_ms = 1_735_689_600_000  # 2025-01-01T00:00:00Z
    rows, total = [], 0
    for index in range(count):
        charge = index % 2 == 0
        kind = ledger.TRANSACTION_TYPE_CHARGE if charge else ledger.TRANSACTION_TYPE_PAYMENT
        amount = 1234 if charge else -1000
        total += amount
        txn_id = "TXN-" + b32(index + 1)
        t = ledger.FinancialTransaction(
            transaction_id=txn_id, account_id=account, transaction_type=kind,
            amount=money.Money(currency_code="USD", minor_units=amount),
            regulatory_scope=scope.REGULATORY_SCOPE_REGULATED, reference=f"seed-{index}",
            ledger_account="4400-REV-RES", request_id=f"seed-{index}")
        t.effective_time.FromMilliseconds(base_ms + index)
        t.post_time.FromMilliseconds(base_ms + index)
        rows.append((txn_id, t.SerializeToString(), account, kind, amount, "USD", base_ms + index))
    db = sqlite3.connect(db_path)
    with db:
        db.executemany(
            "INSERT INTO transactions (id, body, account_id, transaction_type, amount, currency, effective_ms) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    db.close()
    os.makedirs(body_dir, exist_ok=True)
    with open(os.path.join(body_dir, "get_balance.bin"), "wb") as f:
        f.write(grpc_frame(s.GetBalanceRequest(account_id=account)))
    print(account, total)


if __name__ == "__main__":
    main()
