"""Loads the Python modules for proto/grpc/testing (the gRPC interop contract), generated
once per process with grpcio-tools into a temporary directory (never committed)."""
import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load():
    from grpc_tools import protoc
    import grpc_tools
    out = tempfile.mkdtemp(prefix="qe-interop-pb2-")
    include = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    files = ["grpc/testing/empty.proto", "grpc/testing/messages.proto", "grpc/testing/test.proto"]
    rc = protoc.main(["protoc", f"-I{ROOT}/proto", f"-I{include}", f"--python_out={out}", f"--grpc_python_out={out}"] + files)
    if rc != 0:
        raise SystemExit("protoc failed for grpc/testing")
    # The generated modules live in the package "grpc.testing", inside grpcio's own "grpc"
    # package namespace: register that subpackage by hand, pointing at the generated files.
    import types
    import grpc
    package = types.ModuleType("grpc.testing")
    package.__path__ = [os.path.join(out, "grpc", "testing")]
    sys.modules["grpc.testing"] = package
    grpc.testing = package
    import importlib
    empty = importlib.import_module("grpc.testing.empty_pb2")
    messages = importlib.import_module("grpc.testing.messages_pb2")
    test = importlib.import_module("grpc.testing.test_pb2")
    test_grpc = importlib.import_module("grpc.testing.test_pb2_grpc")
    return empty, messages, test, test_grpc
