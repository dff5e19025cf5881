"""Checks a server's health and reflection services with grpcio's own stubs, the way stock
tools use them: health Check/Watch, reflection (v1alpha through grpcio-reflection's
ProtoReflectionDescriptorDatabase, v1 through the upstream v1 proto), and then a call
built purely from the reflected descriptors.

  health_reflection_check.py --port N --service NAME --method NAME   (exit 0 when all pass)
"""
import argparse
import os
import sys
import tempfile

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def reflection_v1_stubs():
    from grpc_tools import protoc
    out = tempfile.mkdtemp(prefix="qe-reflection-v1-")
    rc = protoc.main(["protoc", f"-I{ROOT}/proto", f"--python_out={out}", f"--grpc_python_out={out}",
                      "grpc/reflection/v1/reflection.proto"])
    assert rc == 0
    import importlib
    import types
    package = types.ModuleType("grpc.reflection")
    package.__path__ = [os.path.join(out, "grpc", "reflection")]
    sys.modules["grpc.reflection"] = package
    return (importlib.import_module("grpc.reflection.v1.reflection_pb2"),
            importlib.import_module("grpc.reflection.v1.reflection_pb2_grpc"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--service", required=True)
    parser.add_argument("--method", required=True)
    args = parser.parse_args()
    channel = grpc.insecure_channel(f"127.0.0.1:{args.port}")
    checks = []

    def check(name, condition, detail=""):
        checks.append((name, bool(condition)))
        print(f"{'PASS' if condition else 'FAIL'} {name} {detail}", flush=True)

    health = health_pb2_grpc.HealthStub(channel)
    overall = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=5)
    check("health: server SERVING", overall.status == health_pb2.HealthCheckResponse.SERVING)
    named = health.Check(health_pb2.HealthCheckRequest(service=args.service), timeout=5)
    check("health: service SERVING", named.status == health_pb2.HealthCheckResponse.SERVING)
    try:
        health.Check(health_pb2.HealthCheckRequest(service="no.such.Service"), timeout=5)
        check("health: unknown service NOT_FOUND", False, "call succeeded")
    except grpc.RpcError as error:
        check("health: unknown service NOT_FOUND", error.code() == grpc.StatusCode.NOT_FOUND, str(error.code()))
    watch = health.Watch(health_pb2.HealthCheckRequest(service=args.service), timeout=5)
    first = next(watch)
    watch.cancel()
    check("health: Watch sends the current status", first.status == health_pb2.HealthCheckResponse.SERVING)

    database = ProtoReflectionDescriptorDatabase(channel)
    services = list(database.get_services())
    check("reflection v1alpha: lists the service", args.service in services, str(services))
    pool = descriptor_pool.DescriptorPool(database)
    service = pool.FindServiceByName(args.service)
    method = service.FindMethodByName(args.method)
    check("reflection v1alpha: resolves the method", method is not None)
    request_class = message_factory.GetMessageClass(method.input_type)
    response_class = message_factory.GetMessageClass(method.output_type)
    call = channel.unary_unary(f"/{args.service}/{args.method}", request_serializer=request_class.SerializeToString,
                               response_deserializer=response_class.FromString)
    response = call(request_class(), timeout=5)
    check("reflected call succeeds", isinstance(response, response_class))

    v1, v1_grpc = reflection_v1_stubs()
    stub = v1_grpc.ServerReflectionStub(channel)
    requests = [v1.ServerReflectionRequest(list_services=""),
                v1.ServerReflectionRequest(file_containing_symbol=args.service),
                v1.ServerReflectionRequest(file_by_filename="no/such/file.proto")]
    answers = list(stub.ServerReflectionInfo(iter(requests), timeout=5))
    check("reflection v1: one answer per request", len(answers) == 3)
    listed = [s.name for s in answers[0].list_services_response.service]
    check("reflection v1: lists the service", args.service in listed, str(listed))
    files = [descriptor_pb2.FileDescriptorProto.FromString(b) for b in answers[1].file_descriptor_response.file_descriptor_proto]
    defines = any(s.name == args.service.split(".")[-1] for f in files for s in f.service)
    check("reflection v1: file containing the service", defines, str([f.name for f in files]))
    check("reflection v1: unknown file NOT_FOUND", answers[2].error_response.error_code == 5)

    failed = sum(1 for _, ok in checks if not ok)
    print(f"{len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
