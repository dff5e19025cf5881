#!/usr/bin/env python3
"""GetDownstream latency on a seeded network (Benchmarks/asset/run drives it).

Usage: bench.py TARGET SEED_JSON [--samples N] [--walks N] [--page-size N] [--warmup N]
Closed loop, one call in flight, one HTTP/2 connection (Python grpcio). Scenarios:
  <subject>.page1   the first page only (page_size nodes of the subtree), N samples
  <subject>.page    every page of full paged walks (each call re-walks the subtree: the
                    service pages by keyset over a recursive query), all calls of the walks
  <subject>.walk    a whole paged walk, first page to the last, W samples
for subject = feeder (one feeder's subtree) and root (the whole network). Every walk must
return exactly total_size distinct assets, equal to the seed's count, or the run fails.
Prints one JSON object per scenario."""
import argparse
import json
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summary(label, seconds, **extra):
    return {"label": label, "ok": True, "calls": len(seconds), "p50_ms": percentile(seconds, 50) * 1000,
            "p99_ms": percentile(seconds, 99) * 1000, "max_ms": max(seconds) * 1000, **extra}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("target")
    parser.add_argument("seed")
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--walks", type=int, default=5)
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    seed = json.loads(args.seed)
    sys.path.append(os.path.join(ROOT, "proto"))
    import grpc
    pb, services = grpc.protos_and_services("quantum/asset/v1/asset_service.proto")
    stub = services.AssetServiceStub(grpc.insecure_channel(args.target))

    def call(asset, token=""):
        started = time.perf_counter()
        response = stub.GetDownstream(pb.GetDownstreamRequest(asset_id=asset, page_size=args.page_size, page_token=token), timeout=600)
        return response, time.perf_counter() - started

    def walk(asset, expected):
        token, seen, calls, started = "", set(), [], time.perf_counter()
        while True:
            response, seconds = call(asset, token)
            calls.append(seconds)
            if response.total_size != expected:
                raise SystemExit(f"bench.py: total_size {response.total_size} != {expected} for {asset}")
            seen.update(node.asset_id for node in response.nodes)
            token = response.next_page_token
            if not token:
                break
        if len(seen) != expected:
            raise SystemExit(f"bench.py: a walk of {asset} returned {len(seen)} distinct assets, expected {expected}")
        return time.perf_counter() - started, calls

    for subject in ("feeder", "root"):
        asset, expected = seed[subject], seed[subject + "_downstream"]
        for _ in range(args.warmup):
            call(asset)
        firsts = [call(asset)[1] for _ in range(args.samples)]
        print(json.dumps(summary(f"{subject}.page1", firsts, subtree=expected, page_size=args.page_size)), flush=True)
        walks, pages = [], []
        for _ in range(args.walks):
            seconds, calls = walk(asset, expected)
            walks.append(seconds)
            pages += calls
        print(json.dumps(summary(f"{subject}.page", pages, subtree=expected, page_size=args.page_size)), flush=True)
        print(json.dumps(summary(f"{subject}.walk", walks, subtree=expected, page_size=args.page_size, pages=len(pages) // max(1, len(walks)))), flush=True)


if __name__ == "__main__":
    main()
