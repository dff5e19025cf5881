#!/usr/bin/env python3
"""Closed-loop load driver for PostTransaction (h2load cannot do it: it resends one body, and
every post needs a new request_id or it is an idempotent replay that writes nothing).

Usage: post_load.py --target HOST:PORT --label NAME [--concurrency N] [--duration S]
                    [--warmup S] [--accounts K] [--first-account I]
N threads share one grpcio channel (one HTTP/2 connection, N calls in flight, like
h2load -c 1 -m N). Each thread posts, waits for the reply, posts again. A request is
serialized once and only the request_id (field 2, a fresh uuid4) is appended per call, so
the client does little work per call. Accounts rotate over K accounts starting at
ACC-<first-account> (the currency check in Ledger.append reads the account's rows; K keeps
each account short unless a scenario wants a long one).
Counted: calls that start after the warm-up and end inside the measured window. Any failed
call (non-OK status, or a reply too small to hold the transaction) makes the run FAILED.
Prints one JSON line: label, ok, rps, p50_us, p99_us (nearest rank over every counted
call), done, errors, in_flight."""
import argparse
import json
import math
import os
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from finance_stubs import load_stubs, account_id  # noqa: E402

METHOD = "/quantum.finance.v1.FinanceService/PostTransaction"


def nearest_rank(values, q):
    return values[max(1, math.ceil(q * len(values))) - 1] if values else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", required=True)
    ap.add_argument("--label", required=True)
    ap.add_argument("--concurrency", type=int, default=1)
    ap.add_argument("--duration", type=float, default=10)
    ap.add_argument("--warmup", type=float, default=2)
    ap.add_argument("--accounts", type=int, default=1000)
    ap.add_argument("--first-account", type=int, default=1000)
    args = ap.parse_args()

    import grpc
    ledger, s, _, money, scope = load_stubs()
    # Pre-serialized requests without request_id, one per account; field 2 is appended per call.
    templates = []
    for k in range(args.accounts):
        t = ledger.FinancialTransaction(
            account_id=account_id(args.first_account + k), transaction_type=ledger.TRANSACTION_TYPE_CHARGE,
            amount=money.Money(currency_code="USD", minor_units=1234), regulatory_scope=scope.REGULATORY_SCOPE_REGULATED,
            reference="bench", ledger_account="4400-REV-RES")
        templates.append(s.PostTransactionRequest(transaction=t).SerializeToString())

    channel = grpc.insecure_channel(args.target)
    grpc.channel_ready_future(channel).result(timeout=10)
    post = channel.unary_unary(METHOD)  # bytes in, bytes out

    # Sanity: one real call, parsed, must return a TXN- id with our request_id.
    rid = str(uuid.uuid4())
    reply = s.PostTransactionResponse.FromString(post(templates[0] + b"\x12\x24" + rid.encode(), timeout=10))
    assert reply.transaction.transaction_id.startswith("TXN-") and reply.transaction.request_id == rid, reply
    min_reply = len(reply.SerializeToString()) // 2

    start = time.perf_counter()
    window_start, window_end = start + args.warmup, start + args.warmup + args.duration
    lock = threading.Lock()
    latencies, errors = [], []

    def worker(index):
        mine, k = [], index
        while True:
            body = templates[k % len(templates)] + b"\x12\x24" + str(uuid.uuid4()).encode()
            k += args.concurrency
            t0 = time.perf_counter()
            if t0 >= window_end:
                break
            try:
                out = post(body, timeout=30)
                if len(out) < min_reply:
                    raise RuntimeError(f"reply of {len(out)} bytes")
            except Exception as e:  # grpc.RpcError or short reply
                with lock:
                    errors.append(str(getattr(e, "code", lambda: e)()) + " " + str(getattr(e, "details", lambda: "")()))
                continue
            t1 = time.perf_counter()
            if t0 >= window_start and t1 <= window_end:
                mine.append(int((t1 - t0) * 1e6))
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    result = {"label": args.label, "ok": not errors and bool(latencies), "done": len(latencies),
              "errors": len(errors), "in_flight": args.concurrency,
              "rps": len(latencies) / args.duration,
              "p50_us": nearest_rank(latencies, 0.50), "p99_us": nearest_rank(latencies, 0.99)}
    if errors:
        result["error"] = f"{len(errors)} failed calls, first: {errors[0][:200]}"
    elif not latencies:
        result["error"] = "no call completed in the window"
    print(json.dumps(result))


if __name__ == "__main__":
    main()
