#!/usr/bin/env python3
"""Turns one h2load run into one result line (JSON), or a failure with its reason.

Inputs: h2load's stdout (the summary) and its --log-file (one row per request:
start time in µs since the epoch, HTTP status or -1 for a failed stream, µs until the
end of the response). With -D and --warm-up-time, h2load logs only the requests of the
measured period, and its req/s is computed over that period.

Why not trust req/s alone: h2load only sees HTTP. A gRPC error is HTTP 200 with a
`grpc-status` trailer, and h2load does not read trailers. So a run counts as valid only
if (a) every request finished (no failed/errored/timeout, all 2xx), and (b) the bytes
received per request are at least one full reply (--min-reply-bytes: the gRPC message
the benchmark asks for). A trailers-only error reply is ~20 bytes and fails (b). The
run script also checks `grpc-status: 0` on single calls with nghttp before and after.

Percentiles are nearest-rank over every logged request (no sampling, no histogram
buckets): p50 = the value at rank ceil(0.50 * n), p99 at ceil(0.99 * n).

Usage: h2load_result.py --stdout FILE --log FILE --label NAME [--min-reply-bytes N]
       [--messages-per-call N] [--in-flight N]
"""
import argparse
import json
import math
import re
import sys


def nearest_rank(sorted_values, q):
    if not sorted_values:
        return None
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[rank - 1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stdout", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--label", required=True)
    ap.add_argument("--min-reply-bytes", type=int, default=0)
    ap.add_argument("--messages-per-call", type=int, default=1)
    ap.add_argument("--in-flight", type=int, default=0,
                    help="calls in flight (-c x -m): h2load logs those cut off at the end "
                         "of the measured period with status -1, and that is not an error")
    args = ap.parse_args()

    result = {"label": args.label, "ok": False}
    try:
        text = open(args.stdout, encoding="utf-8", errors="replace").read()
    except OSError as e:
        result["error"] = f"no h2load output ({e})"
        print(json.dumps(result))
        return

    m_rps = re.search(r"finished in [\d.]+m?s, ([\d.]+) req/s", text)
    m_req = re.search(
        r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, "
        r"(\d+) failed, (\d+) errored, (\d+) timeout", text)
    m_codes = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", text)
    m_traffic = re.search(r"traffic: \S+ \((\d+)\) total", text)
    if not (m_rps and m_req and m_codes and m_traffic):
        tail = " | ".join(text.strip().splitlines()[-3:])
        result["error"] = f"h2load did not finish: {tail[:200]}"
        print(json.dumps(result))
        return

    done, succeeded, failed, errored, timeout = (int(m_req.group(i)) for i in (3, 4, 5, 6, 7))
    ok2xx = int(m_codes.group(1))
    total_bytes = int(m_traffic.group(1))
    result.update(rps=float(m_rps.group(1)), done=done, failed=failed, errored=errored,
                  timeout=timeout, ok2xx=ok2xx, received_bytes=total_bytes)
    result["msgs_per_s"] = result["rps"] * args.messages_per_call

    problems = []
    if done == 0:
        problems.append("no request completed")
    if failed or errored or timeout:
        problems.append(f"{failed} failed, {errored} errored, {timeout} timed out")
    # h2load counts a 2xx when the response headers arrive and "done" when the stream ends,
    # each only inside the measured period. A long call (streaming) can straddle either edge
    # of the period, so the two may differ by at most the calls in flight; every finished
    # call must still have succeeded (HTTP 2xx, no reset).
    if succeeded != done or abs(ok2xx - done) > args.in_flight:
        problems.append(f"{ok2xx} answered 2xx, {succeeded} succeeded, of {done} done")
    if done and args.min_reply_bytes and total_bytes / done < args.min_reply_bytes:
        problems.append(
            f"{total_bytes / done:.0f} bytes received per call < {args.min_reply_bytes}: "
            "replies are not full messages (gRPC errors?)")

    latencies = []
    bad_rows = 0
    try:
        with open(args.log, encoding="ascii", errors="replace") as f:
            for line in f:
                cols = line.split("\t")
                if len(cols) < 3:
                    continue
                if cols[1].strip() != "200":
                    bad_rows += 1
                    continue
                latencies.append(int(cols[2]))
    except OSError as e:
        problems.append(f"no log file ({e})")
    if bad_rows > args.in_flight:
        problems.append(f"{bad_rows} logged requests not HTTP 200")
    latencies.sort()
    result["p50_us"] = nearest_rank(latencies, 0.50)
    result["p99_us"] = nearest_rank(latencies, 0.99)
    result["logged"] = len(latencies)

    if problems:
        result["error"] = "; ".join(problems)
    else:
        result["ok"] = True
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
