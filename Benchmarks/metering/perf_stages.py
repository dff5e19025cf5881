#!/usr/bin/env python3
"""Splits a `perf record -g` profile of metering-service into ingest stages (issue 6).

  perf_stages.py PERF_DATA READINGS [HZ]

Each sample goes to the stage of the frame nearest its leaf that a rule below names (Debian's
libsqlite3 and libc have no frame pointers, so their samples stop at their own frames: SQLite
time is one stage, and their malloc is "other"). Prints each stage's share and µs of CPU per
reading (READINGS = readings ingested while perf recorded at HZ samples/s, default 4000).
"""
import collections
import subprocess
import sys

RULES = [
    ("commit (COMMIT + fdatasync)", ["fdatasync", "fsync"]),
    ("meter point lookup (fetch + decode)", ["MeterPointTable", "StoredMeterPoint", "MeterPointCache"]),
    ("SQL binding + statement cache (ServiceKit)", ["SQLiteConnectionC7execute", "SQLiteConnectionC8prepared",
                                                    "SQLiteConnectionC4bind", "SQLiteConnectionC10forEachRow"]),
    ("SQLite engine + its file I/O", ["libsqlite3", "pwrite", "fcntl", "filemap_read", "pread"]),
    ("validation (ReadingChecks)", ["ReadingChecks"]),
    ("in-stream duplicate keys", ["10ReadingKeyV", "WrittenReadingKeysV", "HashedWrittenKeysV", "14RowFingerprintV"]),
    ("per-row Swift of the batch (params, copies)", ["ReadingBatchWrite", "ReadingBatchStore", "ReadingIngestion",
                                                     "IngestSession", "BatchOutcome", "RecorderV", "SQLValueConvertible"]),
    ("decode (protobuf-c, Swift structs)", ["protobufBytes", "protobuf_c", "MessageCodecO6decode", "libprotobuf-c"]),
    ("HTTP/2 + sockets", ["nghttp2", "Socket", "tcp_", "sock_", "HTTP2Session", "ServerConnectionHandler"]),
    ("thread hops, scheduling, commit tickets", ["schedule", "futex", "pthread_cond", "Continuation", "NIOThreadPool",
                                                 "swift_task", "epoll", "runJob", "eventfd", "CommitTicket", "GroupCommitter"]),
]


def main():
    data, readings = sys.argv[1], float(sys.argv[2])
    hz = float(sys.argv[3]) if len(sys.argv) > 3 else 4000.0
    script = subprocess.run(["perf", "script", "-i", data, "-F", "ip,sym,dso"], capture_output=True, text=True, check=True).stdout
    counts, total = collections.Counter(), 0
    for sample in script.split("\n\n"):
        frames = sample.strip().splitlines()
        if not frames:
            continue
        total += 1
        stage = next((name for frame in frames for name, patterns in RULES if any(p in frame for p in patterns)), "other")
        counts[stage] += 1
    print(f"{total} samples = {total / hz:.3f} s CPU = {total / hz / readings * 1e6:.2f} µs per reading")
    for name in [name for name, _ in RULES] + ["other"]:
        print(f"  {name:<46} {100 * counts[name] / max(total, 1):5.1f} %  {counts[name] / hz / readings * 1e6:5.2f} µs/reading")


if __name__ == "__main__":
    main()
