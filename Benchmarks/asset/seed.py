#!/usr/bin/env python3
"""Writes an N-asset network straight into asset-service's store (the service must be stopped).

Usage: seed.py DB_PATH N
The store must exist and be migrated (start asset-service once on the data dir, then stop it).
The service has no bulk create; through the API every asset is two commits (CreateAsset, then
SetParent), so seeding 100,000 would be most of the run. Rows go into the `assets` table in one
SQLite transaction; the columns mirror Services/Asset/AssetDomain/Store/AssetSchema.swift and
AssetRows.columns (body = the full Asset protobuf; the rest derived from it): keep them in step.

Shape, breadth-first (a radial distribution network):
  1 substation → 20 feeders → 10 switches each → 5 transformers each (1,000) → the rest as
  service points dealt round-robin over the transformers, each followed by one meter while
  assets remain.
Prints one JSON object: root id, one feeder's id, and both downstream sizes (the run checks
GetDownstream's total_size against them before measuring)."""
import json
import os
import sqlite3
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def asset_id(n):
    digits = []
    for _ in range(26):
        digits.append(CROCKFORD[n & 31])
        n >>= 5
    return "AST-" + "".join(reversed(digits))


def shape(count):
    """(parent index or -1, type name, class name) per asset, breadth-first."""
    nodes = [(-1, "SUBSTATION", "DISTRIBUTION")]
    feeders = [len(nodes) + i for i in range(20)]
    nodes += [(0, "FEEDER", "DISTRIBUTION")] * 20
    switches = []
    for f in feeders:
        switches += [len(nodes) + i for i in range(10)]
        nodes += [(f, "SWITCH", "DISTRIBUTION")] * 10
    transformers = []
    for s in switches:
        transformers += [len(nodes) + i for i in range(5)]
        nodes += [(s, "TRANSFORMER", "DISTRIBUTION")] * 5
    if count < len(nodes):
        raise SystemExit(f"seed.py: at least {len(nodes)} assets are needed for this shape")
    rest = count - len(nodes)
    service_points = (rest + 1) // 2
    first_point = len(nodes)
    nodes += [(transformers[i % len(transformers)], "SERVICE_POINT", "DISTRIBUTION") for i in range(service_points)]
    nodes += [(first_point + i, "ELECTRIC_METER", "METER") for i in range(rest - service_points)]
    return nodes, feeders[0]


def main():
    db_path, count = sys.argv[1], int(sys.argv[2])
    sys.path.append(os.path.join(ROOT, "proto"))
    import grpc  # noqa: E402  (grpc.protos compiles proto/ at import time, via grpcio-tools)
    asset_pb2 = grpc.protos("quantum/asset/v1/asset.proto")
    scope_pb2 = grpc.protos("quantum/type/v1/scope.proto")
    energy_pb2 = grpc.protos("quantum/type/v1/energy.proto")
    nodes, feeder = shape(count)
    create_ms = 1_740_960_000_000
    rows = []
    for index, (parent, type_name, class_name) in enumerate(nodes):
        a = asset_pb2.Asset(
            asset_id=asset_id(index + 1), display_name=f"{type_name.lower()} {index}",
            asset_type=asset_pb2.AssetType.Value("ASSET_TYPE_" + type_name),
            asset_class=asset_pb2.AssetClass.Value("ASSET_CLASS_" + class_name),
            commodity=energy_pb2.COMMODITY_ELECTRIC, status=asset_pb2.ASSET_STATUS_IN_SERVICE,
            regulatory_scope=scope_pb2.REGULATORY_SCOPE_REGULATED,
            parent_asset_id=asset_id(parent + 1) if parent >= 0 else "")
        a.create_time.FromMilliseconds(create_ms)
        a.update_time.FromMilliseconds(create_ms)
        rows.append((a.asset_id, a.SerializeToString(), a.parent_asset_id, a.display_name, a.asset_class,
                     a.asset_type, a.status, a.regulatory_scope, a.commodity, "", "", None, None, create_ms))
    db = sqlite3.connect(db_path)
    with db:
        db.executemany(
            "INSERT INTO assets (id, body, parent_id, display_name, asset_class, asset_type, status, regulatory_scope,"
            " commodity, premise_id, manufacturer, latitude_e7, longitude_e7, create_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows)
    db.close()
    children = {}
    for index, (parent, _, _) in enumerate(nodes):
        children.setdefault(parent, []).append(index)

    def subtree(index):
        total, stack = 0, list(children.get(index, []))
        while stack:
            n = stack.pop()
            total += 1
            stack += children.get(n, [])
        return total

    print(json.dumps({"root": asset_id(1), "root_downstream": subtree(0),
                      "feeder": asset_id(feeder + 1), "feeder_downstream": subtree(feeder)}))


if __name__ == "__main__":
    main()
