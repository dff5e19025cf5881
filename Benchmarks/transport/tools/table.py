#!/usr/bin/env python3
"""Prints the side-by-side table from the JSON lines that Benchmarks/transport/run wrote.

Each input line is {"server": NAME, "kind": KIND, ...} where KIND is one of
  latency / throughput   an h2load_result.py line (rps, p50_us, p99_us, ok, error)
  latency-awake          the same as latency with the server's core kept out of idle (--awake-core)
  rss                    {"peak_kb": N}  VmHWM of the server after both unary scenarios
  idle                   an idle_conns.py line
  stream                 an h2load_result.py line for StreamingOutputCall (msgs_per_s)
  skipped / failed       {"reason": TEXT}  the server could not be built or started

Ratios are against the gRPC C++ server of the same run: req/s and msgs/s ×C++ > 1 is
better than C++; p50 and RSS ×C++ < 1 is better than C++. A scenario that failed shows
FAILED and no number, so a broken server never looks fast.

Usage: table.py RESULTS.jsonl [--header TEXT]
"""
import json
import sys

ORDER = ["interop-server", "interop-server-busy-poll", "grpc-c++", "grpc-swift-2", "nghttp2-ceiling"]
TITLE = {
    "interop-server": "interop-server (ours)",
    "interop-server-busy-poll": "ours, busy-poll 50 µs",
    "grpc-c++": "gRPC C++ (1.51, callback)",
    "grpc-swift-2": "grpc-swift-2 (NIO h2)",
    "nghttp2-ceiling": "bare nghttp2 (ceiling)",
}
BASE = "grpc-c++"


def load(path):
    data = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            rec = json.loads(line)
            data.setdefault(rec["server"], {})[rec["kind"]] = rec
    return data


def fmt_num(v, digits=0):
    if v is None:
        return "-"
    if digits == 0:
        return f"{v:,.0f}"
    return f"{v:,.{digits}f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "-"
    return f"{a / b:.2f}×"


def scen(rec):
    """(rps, p50, p99) of a scenario, or None when it is missing or failed."""
    if not rec or not rec.get("ok"):
        return None
    return rec.get("rps"), rec.get("p50_us"), rec.get("p99_us")


def print_table(cols, rows):
    """Columns padded to their widest cell: the first left-aligned, the others right-aligned."""
    widths = [max(len(str(r[i])) for r in rows + [cols]) for i in range(len(cols))]
    for r in [cols, ["-" * w for w in widths]] + rows:
        print("  ".join(str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(r)))


def main():
    path = sys.argv[1]
    header = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--header" else None
    data = load(path)
    servers = [s for s in ORDER if s in data] + [s for s in data if s not in ORDER]
    base = data.get(BASE, {})
    b_lat, b_thr = scen(base.get("latency")), scen(base.get("throughput"))
    b_rss = base.get("rss", {}).get("peak_kb")

    if header:
        print(header)
    cols = ["server", "lat req/s", "lat p50", "lat p99", "thr req/s", "thr p50", "thr p99",
            "peak RSS", "thr ×C++", "p50 ×C++", "RSS ×C++"]
    rows = []
    notes = []
    for s in servers:
        d = data[s]
        name = TITLE.get(s, s)
        # "failed": not built, not started, or a grpc-status probe before/after load failed.
        # Any of these voids the server's numbers, so none are shown.
        if "skipped" in d or "failed" in d:
            why = d.get("skipped", d.get("failed"))["reason"]
            label = "skipped" if "skipped" in d else "FAILED"
            rows.append([name, label] + [""] * (len(cols) - 2))
            notes.append(f"{name}: {label}: {why}")
            continue
        lat, thr = scen(d.get("latency")), scen(d.get("throughput"))
        rss = d.get("rss", {}).get("peak_kb")
        row = [name]
        for rec, vals in ((d.get("latency"), lat), (d.get("throughput"), thr)):
            if vals is None:
                row += ["FAILED", "", ""]
                if rec and rec.get("error"):
                    notes.append(f"{name}, {rec['label']}: {rec['error']}")
            else:
                row += [fmt_num(vals[0]), f"{vals[1]} µs", f"{vals[2]} µs"]
        row.append(f"{rss / 1024:.1f} MiB" if rss else "-")
        row.append(ratio(thr[0], b_thr[0]) if thr and b_thr else "-")
        row.append(ratio(lat[1], b_lat[1]) if lat and b_lat else "-")
        row.append(ratio(rss, b_rss) if rss else "-")
        rows.append(row)

    print_table(cols, rows)

    # Extras: idle connections and server streaming, when the run measured them.
    extra_rows = []
    b_stream = base.get("stream")
    b_msgs = b_stream.get("msgs_per_s") if b_stream and b_stream.get("ok") else None
    for s in servers:
        d = data[s]
        idle, stream = d.get("idle"), d.get("stream")
        if not idle and not stream:
            continue
        idle_txt = per_conn = "-"
        if idle:
            if idle.get("error"):
                idle_txt = "FAILED"
                notes.append(f"{TITLE.get(s, s)}, idle: {idle['error']}")
            else:
                idle_txt = f"{idle['rss_held_kb'] / 1024:.1f} MiB ({idle['alive']}/{idle['count']} open)"
                per_conn = f"{idle.get('per_conn_kb', 0):.1f} KiB"
        st_txt, st_ratio = "-", "-"
        if stream:
            if stream.get("ok"):
                st_txt = fmt_num(stream["msgs_per_s"])
                st_ratio = ratio(stream["msgs_per_s"], b_msgs) if b_msgs else "-"
            else:
                st_txt = "FAILED"
                notes.append(f"{TITLE.get(s, s)}, stream: {stream.get('error')}")
        extra_rows.append([TITLE.get(s, s), idle_txt, per_conn, st_txt, st_ratio])
    if extra_rows:
        ecols = ["server", "RSS, 1000 idle conns", "per conn", "stream msgs/s", "×C++"]
        print()
        print_table(ecols, extra_rows)

    # Server CPU at one call in flight: what each call costs the server, busy polling included.
    cpu_rows = []
    for s in servers:
        rec = data[s].get("latency")
        if rec and rec.get("ok") and rec.get("server_cpu_share") is not None and rec.get("rps"):
            share = rec["server_cpu_share"]
            cpu_rows.append([TITLE.get(s, s), f"{share * 100:.0f} %", f"{share * 1e6 / rec['rps']:.0f} µs"])
    if cpu_rows:
        ccols = ["server", "CPU at -c1 (of a core)", "CPU per call"]
        print()
        print_table(ccols, cpu_rows)

    # The diagnostic latency run with the server's core kept awake (--awake-core).
    b_awake = scen(base.get("latency-awake"))
    awake_rows = []
    for s in servers:
        vals = scen(data[s].get("latency-awake"))
        lat = scen(data[s].get("latency"))
        if vals is None:
            continue
        awake_rows.append([TITLE.get(s, s), f"{vals[1]} µs", f"{vals[2]} µs",
                           ratio(vals[1], b_awake[1]) if b_awake else "-",
                           f"{lat[1]} µs" if lat else "-"])
    if awake_rows:
        acols = ["server", "awake p50", "awake p99", "p50 ×C++", "(idle p50)"]
        print()
        print("latency -c1 -m1 with the server's core kept out of idle (SCHED_IDLE spinner on core 0):")
        print_table(acols, awake_rows)

    if notes:
        print()
        for n in notes:
            print("note: " + n)


if __name__ == "__main__":
    main()
