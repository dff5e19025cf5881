#!/usr/bin/env python3
"""WatchOutages fan-out: S concurrent subscribers, N outage updates (Benchmarks/outage/run).

Usage: watch_bench.py TARGET --label L [--subscribers S] [--updates N] [--outages K]
                      [--rate R] [--writers W] [--timeout SECONDS]
  1. K open outages are reported (they are every subscriber's snapshot).
  2. S WatchOutages streams are opened (grpc.aio, one process, one HTTP/2 connection) and
     each waits for SNAPSHOT_COMPLETE.
  3. A separate updater process sends N UpdateOutage calls (round-robin over the K outages,
     W threads, paced at R updates/s; R = 0 means as fast as the service acknowledges). Each
     update writes its send instant (CLOCK_MONOTONIC ns, system-wide) into the outage's notes.
  4. Each subscriber reads until it has N changes. delay = receive instant − send instant.
Valid only when every subscriber received exactly N UPDATED changes with N distinct sequences,
the same set for all, in increasing order; otherwise the result is FAILED, never a number.
delivered/s = S × N ÷ (last delivery − first send). client_cpu = the subscriber process's CPU
time ÷ that window: near 1.0 means the Python client, not the service, set the pace.
Prints one JSON object."""
import argparse
import asyncio
import json
import multiprocessing
import os
import resource
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load():
    sys.path.append(os.path.join(ROOT, "proto"))
    import grpc
    pb, services = grpc.protos_and_services("quantum/outage/v1/outage_service.proto")
    outage_pb2 = grpc.protos("quantum/outage/v1/outage.proto")
    return grpc, pb, services, outage_pb2


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def updater(target, ids, count, rate, writers, start, results):
    """Runs in its own process so the subscribers' event loop cannot delay the sends."""
    grpc, pb, services, outage_pb2 = load()
    from google.protobuf import field_mask_pb2
    stub = services.OutageServiceStub(grpc.insecure_channel(target))
    mask = field_mask_pb2.FieldMask(paths=["notes"])
    stub.GetOutage(pb.GetOutageRequest(outage_id=ids[0]), timeout=30)  # connect before the clock starts
    start.wait()
    lock, state = threading.Lock(), {"next": 0, "errors": 0, "first": None}
    began = time.monotonic_ns()

    def work():
        while True:
            with lock:
                index = state["next"]
                if index >= count:
                    return
                state["next"] += 1
            if rate > 0:
                due = began + int(index * 1e9 / rate)
                pause = (due - time.monotonic_ns()) / 1e9
                if pause > 0:
                    time.sleep(pause)
            sent = time.monotonic_ns()
            with lock:
                state["first"] = sent if state["first"] is None else min(state["first"], sent)
            try:
                stub.UpdateOutage(pb.UpdateOutageRequest(
                    outage=outage_pb2.OutageEvent(outage_id=ids[index % len(ids)], notes=str(sent)), update_mask=mask), timeout=60)
            except grpc.RpcError as error:
                with lock:
                    state["errors"] += 1
                    state["error"] = f"{error.code()}: {error.details()}"

    threads = [threading.Thread(target=work) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put({"first_send_ns": state["first"], "last_ack_ns": time.monotonic_ns(), "errors": state["errors"],
                 "error": state.get("error", "")})


async def subscribe(stub, pb, outage_pb2, expected, ready):
    call = stub.WatchOutages(pb.WatchOutagesRequest())
    sequences, delays, last = [], [], 0
    async for message in call:
        kind = message.change_kind
        if kind == outage_pb2.OUTAGE_CHANGE_KIND_SNAPSHOT:
            continue
        if kind == outage_pb2.OUTAGE_CHANGE_KIND_SNAPSHOT_COMPLETE:
            ready.release()
            continue
        last = time.monotonic_ns()
        if kind != outage_pb2.OUTAGE_CHANGE_KIND_UPDATED:
            raise RuntimeError(f"unexpected change kind {kind}")
        sequences.append(message.sequence)
        delays.append(last - int(message.outage.notes))
        if len(sequences) == expected:
            break
    call.cancel()
    return sequences, delays, last


async def watch(args, ids, start):
    grpc, pb, services, outage_pb2 = load()
    async with grpc.aio.insecure_channel(args.target) as channel:
        stub = services.OutageServiceStub(channel)
        ready = asyncio.Semaphore(0)
        tasks = [asyncio.create_task(subscribe(stub, pb, outage_pb2, args.updates, ready)) for _ in range(args.subscribers)]
        for _ in range(args.subscribers):
            await asyncio.wait_for(ready.acquire(), timeout=60)
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        start.set()
        results = await asyncio.wait_for(asyncio.gather(*tasks), timeout=args.timeout)
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    return results, cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("target")
    parser.add_argument("--label", required=True)
    parser.add_argument("--subscribers", type=int, default=100)
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--outages", type=int, default=50)
    parser.add_argument("--rate", type=float, default=0)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    grpc, pb, services, outage_pb2 = load()
    energy_pb2 = grpc.protos("quantum/type/v1/energy.proto")
    stub = services.OutageServiceStub(grpc.insecure_channel(args.target))
    ids = []
    for index in range(args.outages):
        outage = outage_pb2.OutageEvent(commodity=energy_pb2.COMMODITY_ELECTRIC, customers_affected=10 + index)
        outage.start_time.GetCurrentTime()
        ids.append(stub.ReportOutage(pb.ReportOutageRequest(outage=outage), timeout=30).outage.outage_id)

    context = multiprocessing.get_context("spawn")
    start, queue = context.Event(), context.Queue()
    writer = context.Process(target=updater, args=(args.target, ids, args.updates, args.rate, args.writers, start, queue))
    writer.start()
    result = {"label": args.label, "ok": False, "subscribers": args.subscribers, "updates": args.updates, "rate": args.rate}
    try:
        subscriptions, cpu = asyncio.run(watch(args, ids, start))
        sent = queue.get(timeout=60)
        writer.join(timeout=60)
        if sent["errors"]:
            result["error"] = f"{sent['errors']} UpdateOutage calls failed ({sent['error']})"
        else:
            reference = sorted(subscriptions[0][0])
            problems = [i for i, (sequences, _, _) in enumerate(subscriptions)
                        if len(sequences) != args.updates or len(set(sequences)) != args.updates
                        or sequences != sorted(sequences) or sorted(sequences) != reference]
            if problems:
                result["error"] = f"{len(problems)} subscribers lost, repeated or reordered changes (first: #{problems[0]})"
            else:
                delays = [d for _, ds, _ in subscriptions for d in ds]
                window = (max(last for _, _, last in subscriptions) - sent["first_send_ns"]) / 1e9
                writes = (sent["last_ack_ns"] - sent["first_send_ns"]) / 1e9
                result.update(ok=True, delivered=len(delays), seconds=window, delivered_per_s=len(delays) / window,
                              updates_per_s=args.updates / writes, delay_p50_ms=percentile(delays, 50) / 1e6,
                              delay_p99_ms=percentile(delays, 99) / 1e6, delay_max_ms=max(delays) / 1e6,
                              client_cpu=cpu / window)
    except Exception as error:  # a failed run is reported as FAILED, never as a number
        result["error"] = f"{type(error).__name__}: {error}"
    finally:
        if writer.is_alive():
            writer.terminate()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
