"""Python stubs for quantum.finance.v1, generated at runtime from proto/ (as
Tests/interop/customer_flow.py does for the customer service), plus the gRPC frame helper
the h2load request bodies need."""
import os
import struct
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_stubs():
    """Returns (ledger_pb2, finance_service_pb2, finance_service_pb2_grpc, money_pb2, scope_pb2)."""
    from grpc_tools import protoc
    import grpc_tools
    out = tempfile.mkdtemp(prefix="qe-finance-pb2-")
    include = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    files = [
        "quantum/type/v1/audit.proto", "quantum/type/v1/calendar.proto", "quantum/type/v1/energy.proto",
        "quantum/type/v1/money.proto", "quantum/type/v1/scope.proto",
        "quantum/finance/v1/ledger.proto", "quantum/finance/v1/regulatory.proto", "quantum/finance/v1/tariff.proto",
        "quantum/finance/v1/finance_service.proto",
    ]
    rc = protoc.main(["protoc", f"-I{ROOT}/proto", f"-I{include}", f"--python_out={out}", f"--grpc_python_out={out}"] + files)
    if rc != 0:
        raise SystemExit("protoc failed for quantum/finance/v1")
    sys.path.insert(0, out)
    from quantum.finance.v1 import ledger_pb2, finance_service_pb2, finance_service_pb2_grpc
    from quantum.type.v1 import money_pb2, scope_pb2
    return ledger_pb2, finance_service_pb2, finance_service_pb2_grpc, money_pb2, scope_pb2


def grpc_frame(message):
    payload = message.SerializeToString()
    return b"\x00" + struct.pack(">I", len(payload)) + payload


def account_id(index):
    """ACC- + 26 characters (digits are valid Crockford base32)."""
    return "ACC-" + f"{index:026d}"
