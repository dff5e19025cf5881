#!/usr/bin/env python3
"""Seeds a customer-service store with N customers and writes the h2load request bodies.

Usage: seed.py DB_PATH N BODY_DIR
The store must exist and be migrated (start customer-service once on the data dir). Rows are
written straight into the `customers` table in one transaction: through the API every create
is its own fsync'ed commit, which would make seeding 100k customers the slow part of the
benchmark. The columns mirror Services/Customer/CustomerDomain/Store/Tables.swift; keep the
two in step. Prints the id the GetCustomer body asks for."""
import os
import sqlite3
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "interop"))
from customer_flow import load_stubs  # noqa: E402


def grpc_frame(message):
    payload = message.SerializeToString()
    return b"\x00" + struct.pack(">I", len(payload)) + payload


def main():
    db_path, count, body_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    c, s, *_ = load_stubs()
    db = sqlite3.connect(db_path)
    now_ms = 1_750_000_000_000
    rows = []
    for index in range(count):
        customer_id = "CUS-" + f"{index:026d}"
        name = f"Customer {index:06d}"
        email = f"customer{index}@example.com"
        customer = c.Customer(
            customer_id=customer_id, kind=c.CUSTOMER_KIND_RESIDENTIAL, display_name=name, status=c.CUSTOMER_STATUS_ACTIVE,
            contact=c.ContactInfo(emails=[c.EmailAddress(address=email, primary=True)],
                                  phones=[c.PhoneNumber(e164_number="+14155550100", kind=c.PHONE_KIND_MOBILE)]))
        customer.create_time.FromMilliseconds(now_ms + index)
        customer.update_time.FromMilliseconds(now_ms + index)
        rows.append((customer_id, customer.SerializeToString(), name, name.lower(), f"\n{email}\n",
                     c.CUSTOMER_KIND_RESIDENTIAL, c.CUSTOMER_STATUS_ACTIVE, 0, now_ms + index))
    with db:
        db.executemany(
            "INSERT INTO customers (id, body, display_name, name_folded, emails, kind, status, relationship_mask, create_ms) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.close()
    target = "CUS-" + f"{count // 2:026d}"
    os.makedirs(body_dir, exist_ok=True)
    with open(os.path.join(body_dir, "get_customer.bin"), "wb") as f:
        f.write(grpc_frame(s.GetCustomerRequest(customer_id=target)))
    with open(os.path.join(body_dir, "list_customers.bin"), "wb") as f:
        f.write(grpc_frame(s.ListCustomersRequest(page_size=50)))
    print(target)


if __name__ == "__main__":
    main()
