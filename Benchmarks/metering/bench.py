#!/usr/bin/env python3
"""Load generator and ceiling for the metering-service benchmark (issue 6); driven by ./run.

  bench.py ingest  --target HOST:PORT --meters N --streams S --duration SEC --batches-per-stream B
                   [--days-per-batch K] --out JSON
      Creates N meter points through CreateMeterPoint, then runs S concurrent IngestReadings
      streams (one thread each) for SEC seconds. Each request is K meter-days (default 1): 96
      INTERVAL DELIVERED 15-minute reads of one meter point per day (Green Button's IntervalBlock
      granularity).
      A stream carries B batches, then closes and reads its summary; a new stream follows
      until the deadline. The rate is the sum of the summaries' accepted counts over the wall
      time. Requests are built lazily (one batch at a time, in the sending thread), or with
      --prebuild-rate R all built and serialized before the clock (duration × R readings;
      a stream that runs out stops early and the result says prebuilt_ran_out); the client's
      own CPU is reported next to the rate.
  bench.py create  --target HOST:PORT --meters N --out JSON
      Creates N meter points through CreateMeterPoint; writes their ids (for ingest --ids).
  bench.py ingest  ... --ids JSON --fixed
      Fixed work instead of a timed run (cpu-per-reading uses it): the meter points of --ids
      (none created), and each stream sends exactly --batches-per-stream batches in one call,
      all built before the clock starts.
  bench.py tables  --schema SWIFT_FILE --out SQL
      Writes the service's `tables` SQL for the C ceiling (ceiling.c, same rows as `raw`).
  bench.py raw     --db PATH --schema SWIFT_FILE --meters N --duration SEC --mode insert|upsert --out JSON
      The ceiling: the same rows (same meter-day order) into a fresh SQLite file created with
      the service's own `tables` SQL (parsed out of MeteringSchema.swift), WAL +
      synchronous=FULL, one transaction per batch (BEGIN IMMEDIATE; look up the meter point;
      executemany the 96 rows; COMMIT), like the service's write path. `upsert` uses the
      service's exact ON CONFLICT statement, `insert` a plain INSERT.
  bench.py seed    --db PATH --meters N --days D --out JSON
      Writes N extra meter points (bodies cloned from one the service created) and D days of
      15-minute DELIVERED reads each straight into a stopped service's store, in large
      transactions (through the API every batch is an fsync'ed commit).
  bench.py profile --target HOST:PORT --ids JSON --days D --calls C --out JSON
      C sequential GetConsumptionProfile calls (DAY buckets over D days) for meter points
      picked at random among the seeded ones; records the latency of each call.
Every subcommand appends nothing and prints nothing but a JSON result to --out (and errors to stderr).
"""
import argparse
import collections
import json
import os
import random
import re
import resource
import sqlite3
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DAY = 86_400
INTERVAL = 900
PER_DAY = DAY // INTERVAL           # 96 reads per meter-day
FIRST_DAY = 1_704_067_200           # 2024-01-01T00:00:00Z: every read is in the past
INSTALL = FIRST_DAY - 365 * DAY     # meter points installed a year before the first read


def load_stubs():
    """Generates the Python stubs of proto/ into a temp dir at run time (nothing is checked in)."""
    from grpc_tools import protoc
    import grpc_tools
    out = tempfile.mkdtemp(prefix="qe-metering-pb2-")
    include = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    files = [f"quantum/type/v1/{name}" for name in sorted(os.listdir(os.path.join(ROOT, "proto/quantum/type/v1")))]
    files += ["quantum/metering/v1/metering.proto", "quantum/metering/v1/metering_service.proto"]
    rc = protoc.main(["protoc", f"-I{ROOT}/proto", f"-I{include}", f"--python_out={out}", f"--grpc_python_out={out}"] + files)
    if rc != 0:
        raise SystemExit("protoc failed for quantum/metering/v1")
    sys.path.insert(0, out)
    from quantum.metering.v1 import metering_pb2, metering_service_pb2, metering_service_pb2_grpc
    from quantum.type.v1 import calendar_pb2, energy_pb2, scope_pb2
    return metering_pb2, metering_service_pb2, metering_service_pb2_grpc, calendar_pb2, energy_pb2, scope_pb2


def milli_value(meter, start):
    """A deterministic, plausible 15-minute residential read in milli-kWh (0.05–0.6 kWh)."""
    return 50 + (meter * 7919 + start // INTERVAL * 104729) % 550


def meter_days(meters, streams, stream):
    """The (meter index, day index) pairs one stream sends, day-major over its share of meters."""
    mine = [m for m in range(meters) if m % streams == stream]
    day = 0
    while True:
        for m in mine:
            yield m, day
        day += 1


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def percentiles(samples):
    samples = sorted(samples)
    pick = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))]
    return {"n": len(samples), "p50_ms": pick(0.50) * 1e3, "p90_ms": pick(0.90) * 1e3, "p99_ms": pick(0.99) * 1e3,
            "max_ms": samples[-1] * 1e3, "mean_ms": sum(samples) / len(samples) * 1e3}


def new_meter_point(m, e, sc, index):
    return m.MeterPoint(
        premise_id="PRM-" + f"{index:026d}", commodity=e.COMMODITY_ELECTRIC, unit=e.ENERGY_UNIT_KWH,
        interval_length={"seconds": INTERVAL}, purpose=m.METER_POINT_PURPOSE_REVENUE,
        regulatory_scope=sc.REGULATORY_SCOPE_REGULATED, time_zone="America/Chicago",
        status=m.METER_POINT_STATUS_ACTIVE, install_time={"seconds": INSTALL})


def connect(target):
    import grpc
    stubs = load_stubs()
    channel = grpc.insecure_channel(target)
    grpc.channel_ready_future(channel).result(timeout=10)
    return stubs, stubs[2].MeteringServiceStub(channel), channel


def create_meter_points(stubs, stub, count):
    m, s, _g, _cal, e, sc = stubs
    return [stub.CreateMeterPoint(s.CreateMeterPointRequest(meter_point=new_meter_point(m, e, sc, index)), timeout=10)
            .meter_point.meter_point_id for index in range(count)]


def cmd_create(args):
    stubs, stub, _channel = connect(args.target)
    json.dump(create_meter_points(stubs, stub, args.meters), open(args.out, "w"))


def cmd_ingest(args):
    import grpc
    stubs, stub, channel = connect(args.target)
    m, s, _g, _cal, e, _sc = stubs
    created = time.perf_counter()
    ids = json.load(open(args.ids)) if args.ids else create_meter_points(stubs, stub, args.meters)
    create_s = time.perf_counter() - created

    def batch(pairs):
        """One request: --days-per-batch consecutive meter-days (96 reads each)."""
        readings = []
        for _ in range(args.days_per_batch):
            meter, day = next(pairs)
            start0 = FIRST_DAY + (args.first_day + day) * DAY
            readings += [
                m.MeterReading(meter_point_id=ids[meter], interval_start={"seconds": start}, kind=m.READING_KIND_INTERVAL,
                               channel=m.READING_CHANNEL_DELIVERED, quality=m.READING_QUALITY_ACTUAL,
                               value=e.EnergyQuantity(milli_value=milli_value(meter, start), unit=e.ENERGY_UNIT_KWH))
                for start in range(start0, start0 + DAY, INTERVAL)]
        return s.IngestReadingsRequest(readings=readings)

    totals = {"accepted": 0, "duplicate": 0, "rejected": 0, "received": 0, "batches": 0, "streams": 0, "errors": []}
    lock = threading.Lock()
    deadline = [0.0]

    # --fixed and --prebuild-rate: requests built and serialized now, before the clock starts,
    # and sent as bytes (building them is most of this client's CPU; a client near 100 % of
    # its core would measure itself, not the service).
    prebuild = args.batches_per_stream if args.fixed else \
        int(args.duration * args.prebuild_rate / args.streams / (PER_DAY * args.days_per_batch)) + 1 if args.prebuild_rate else 0
    prebuilt = [collections.deque(batch(pairs).SerializeToString() for _ in range(prebuild))
                for pairs in (meter_days(len(ids), args.streams, stream) for stream in range(args.streams))] if prebuild else None
    send = channel.stream_unary("/quantum.metering.v1.MeteringService/IngestReadings",
                                response_deserializer=s.IngestReadingsResponse.FromString) if prebuilt else stub.IngestReadings

    def call(requests):
        """One IngestReadings stream; adds its summary to the totals. False when it failed."""
        try:
            summary = send(requests, timeout=args.duration + 60).summary
        except grpc.RpcError as error:
            with lock:
                totals["errors"].append(f"{error.code()}: {error.details()}")
            return False
        with lock:
            totals["accepted"] += summary.accepted_count
            totals["duplicate"] += summary.duplicate_count
            totals["rejected"] += summary.rejected_count
            totals["received"] += summary.received_count
            totals["batches"] += summary.batch_count
            totals["streams"] += 1
            if summary.rejections and len(totals["errors"]) < 5:
                totals["errors"].append(str(summary.rejections[0]).replace("\n", " "))
        return True

    def worker(stream):
        if args.fixed:
            call(iter(prebuilt[stream]))
            return
        pairs = meter_days(len(ids), args.streams, stream)

        def requests():
            for _ in range(args.batches_per_stream):
                if time.perf_counter() >= deadline[0] or (prebuilt and not prebuilt[stream]):
                    return
                yield prebuilt[stream].popleft() if prebuilt else batch(pairs)

        while time.perf_counter() < deadline[0] and call(requests()):
            if prebuilt and not prebuilt[stream]:
                with lock:
                    totals["prebuilt_ran_out"] = True
                return

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.streams)]
    cpu0, t0 = cpu_seconds(), time.perf_counter()
    deadline[0] = t0 + args.duration
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
    result = dict(totals, wall_s=wall, client_cpu_s=cpu, readings_per_s=totals["accepted"] / wall,
                  meters=len(ids), create_s=create_s, meter_point_ids=ids[:1], days_per_batch=args.days_per_batch)
    json.dump(result, open(args.out, "w"))


def service_tables_sql(schema_swift):
    """The `tables` SQL of MeteringSchema.swift, so the ceiling uses the service's exact table definitions."""
    text = open(schema_swift).read()
    match = re.search(r'static let tables = """\n(.*?)"""', text, re.S)
    if not match:
        raise SystemExit(f"no `tables` SQL found in {schema_swift}")
    return match.group(1)


UPSERT = ("INSERT INTO readings (meter_seq, kind, start_s, channel, milli, quality, record_ms) VALUES (?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (meter_seq, kind, start_s, channel) DO UPDATE "
          "SET milli = excluded.milli, quality = excluded.quality, record_ms = excluded.record_ms "
          "WHERE readings.edit_ms IS NULL AND (readings.milli <> excluded.milli OR readings.quality <> excluded.quality)")
INSERT = "INSERT INTO readings (meter_seq, kind, start_s, channel, milli, quality, record_ms) VALUES (?, ?, ?, ?, ?, ?, ?)"


def cmd_tables(args):
    """Writes the service's `tables` SQL to --out, for the C ceiling (ceiling.c)."""
    open(args.out, "w").write(service_tables_sql(args.schema))


def cmd_raw(args):
    db = sqlite3.connect(args.db, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.executescript(service_tables_sql(args.schema))
    ids = ["MTR-" + f"{i:026d}" for i in range(args.meters)]
    db.execute("BEGIN")
    db.executemany("INSERT INTO meter_points (seq, id, body, premise_id, meter_asset_id, status, commodity, purpose) "
                   "VALUES (?, ?, x'00', 'PRM-0', '', 2, 1, 1)", [(i + 1, ids[i]) for i in range(args.meters)])
    db.execute("COMMIT")
    sql = UPSERT if args.mode == "upsert" else INSERT
    pairs = meter_days(args.meters, 1, 0)
    rows = batches = 0
    cpu0, t0 = cpu_seconds(), time.perf_counter()
    deadline = t0 + args.duration
    while time.perf_counter() < deadline:
        meter, day = next(pairs)
        start0 = FIRST_DAY + day * DAY
        now_ms = int(time.time() * 1000)
        db.execute("BEGIN IMMEDIATE")
        seq = db.execute("SELECT seq FROM meter_points WHERE id = ?", (ids[meter],)).fetchone()[0]
        db.executemany(sql, [(seq, 1, start, 1, milli_value(meter, start), 1, now_ms)
                             for start in range(start0, start0 + DAY, INTERVAL)])
        db.execute("COMMIT")
        rows += PER_DAY
        batches += 1
    wall, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
    db.close()
    json.dump({"mode": args.mode, "readings": rows, "batches": batches, "wall_s": wall, "cpu_s": cpu,
               "readings_per_s": rows / wall}, open(args.out, "w"))


def cmd_seed(args):
    m, *_ = load_stubs()
    db = sqlite3.connect(args.db, isolation_level=None)
    template_row = db.execute("SELECT body, premise_id, meter_asset_id, status, commodity, purpose FROM meter_points "
                              "ORDER BY seq LIMIT 1").fetchone()
    template = m.MeterPoint.FromString(template_row[0])
    first_seq = db.execute("SELECT COALESCE(MAX(seq), 0) FROM meter_points").fetchone()[0] + 1
    ids, points = [], []
    for i in range(args.meters):
        point = m.MeterPoint()
        point.CopyFrom(template)
        point.meter_point_id = "MTR-9" + f"{i:025d}"
        ids.append(point.meter_point_id)
        points.append((first_seq + i, point.meter_point_id, point.SerializeToString(), *template_row[1:]))
    t0 = time.perf_counter()
    db.execute("BEGIN")
    db.executemany("INSERT INTO meter_points (seq, id, body, premise_id, meter_asset_id, status, commodity, purpose) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", points)
    db.execute("COMMIT")
    # 30 days ending at FIRST_DAY + 400 days: clear of the ingest phase's days.
    first = FIRST_DAY + (400 - args.days) * DAY
    record_ms = int(time.time() * 1000)
    for i in range(args.meters):
        seq = first_seq + i
        if i % 200 == 0:
            db.execute("BEGIN")
        db.executemany(INSERT, ((seq, 1, start, 1, milli_value(i, start), 1, record_ms)
                                for start in range(first, first + args.days * DAY, INTERVAL)))
        if i % 200 == 199 or i == args.meters - 1:
            db.execute("COMMIT")
    seed_s = time.perf_counter() - t0
    total = db.execute("SELECT COUNT(*) FROM readings").fetchone()[0]
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    json.dump({"ids": ids, "first_s": first, "days": args.days, "seed_s": seed_s, "readings_total": total,
               "db_bytes": os.path.getsize(args.db)}, open(args.out, "w"))


def cmd_profile(args):
    import grpc
    m, s, g, cal, e, sc = load_stubs()
    seeded = json.load(open(args.ids))
    channel = grpc.insecure_channel(args.target)
    grpc.channel_ready_future(channel).result(timeout=10)
    stub = g.MeteringServiceStub(channel)
    first, days = seeded["first_s"], seeded["days"]
    rng = random.Random(6)

    def call(point_id):
        request = s.GetConsumptionProfileRequest(
            meter_point_id=point_id, bucket_size=m.BUCKET_SIZE_DAY,
            time_range=cal.TimeRange(start_time={"seconds": first}, end_time={"seconds": first + days * DAY}))
        return stub.GetConsumptionProfile(request, timeout=30).profile

    check = call(seeded["ids"][0])
    count = sum(b.interval_count for b in check.buckets)
    for _ in range(20):   # warm-up: connection, statement cache
        call(rng.choice(seeded["ids"]))
    samples = []
    for _ in range(args.calls):
        point_id = rng.choice(seeded["ids"])
        t0 = time.perf_counter()
        call(point_id)
        samples.append(time.perf_counter() - t0)
    json.dump(dict(percentiles(samples), buckets=len(check.buckets), readings_in_profile=count,
                   total_delivered_milli=check.total_delivered.milli_value), open(args.out, "w"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest")
    p.add_argument("--target", required=True); p.add_argument("--meters", type=int, default=200)
    p.add_argument("--streams", type=int, default=3); p.add_argument("--duration", type=float, default=10)
    p.add_argument("--batches-per-stream", type=int, default=200); p.add_argument("--out", required=True)
    p.add_argument("--days-per-batch", type=int, default=1)
    p.add_argument("--ids", help="meter point ids (JSON) from `create`; none are created")
    p.add_argument("--fixed", action="store_true", help="exactly --batches-per-stream batches per stream, one call each")
    p.add_argument("--first-day", type=int, default=0, help="day offset of the first meter-day sent")
    p.add_argument("--prebuild-rate", type=float, default=0,
                   help="build and serialize duration × this many readings/s before the clock (0: build while sending)")
    p = sub.add_parser("create")
    p.add_argument("--target", required=True); p.add_argument("--meters", type=int, default=200)
    p.add_argument("--out", required=True)
    p = sub.add_parser("tables")
    p.add_argument("--schema", required=True); p.add_argument("--out", required=True)
    p = sub.add_parser("raw")
    p.add_argument("--db", required=True); p.add_argument("--schema", required=True)
    p.add_argument("--meters", type=int, default=200); p.add_argument("--duration", type=float, default=5)
    p.add_argument("--mode", choices=["insert", "upsert"], default="insert"); p.add_argument("--out", required=True)
    p = sub.add_parser("seed")
    p.add_argument("--db", required=True); p.add_argument("--meters", type=int, default=1000)
    p.add_argument("--days", type=int, default=30); p.add_argument("--out", required=True)
    p = sub.add_parser("profile")
    p.add_argument("--target", required=True); p.add_argument("--ids", required=True)
    p.add_argument("--calls", type=int, default=300); p.add_argument("--out", required=True)
    args = parser.parse_args()
    {"ingest": cmd_ingest, "create": cmd_create, "tables": cmd_tables, "raw": cmd_raw, "seed": cmd_seed, "profile": cmd_profile}[args.command](args)


if __name__ == "__main__":
    main()
