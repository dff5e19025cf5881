"""The reference interop client: grpcio running gRPC's interop test cases against a server
(ours, in the tests). Same flags as gRPC's own interop clients.

  interop_client.py --server_host 127.0.0.1 --server_port N --test_case NAME   (exit 0 on pass)
  --test_case all runs every case and prints one line per case.
"""
import argparse
import sys
import time

import grpc

import grpc_testing

empty_pb2, messages_pb2, test_pb2, test_pb2_grpc = grpc_testing.load()

ECHO_INITIAL = "x-grpc-test-echo-initial"
ECHO_TRAILING = "x-grpc-test-echo-trailing-bin"
REQUEST_SIZES = [27182, 8, 1828, 45904]
RESPONSE_SIZES = [31415, 9, 2653, 58979]


class Failure(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise Failure(message)


def payload(size):
    return messages_pb2.Payload(type=messages_pb2.COMPRESSABLE, body=b"\x00" * size)


def expect_status(call_or_error, code, message=None):
    actual_code = call_or_error.code()
    expect(actual_code == code, f"expected {code}, got {actual_code}: {call_or_error.details()!r}")
    if message is not None:
        expect(call_or_error.details() == message, f"expected message {message!r}, got {call_or_error.details()!r}")


def empty_unary(stub, channel):
    response = stub.EmptyCall(empty_pb2.Empty())
    expect(response == empty_pb2.Empty(), "non-empty response")


def large_unary(stub, channel):
    response = stub.UnaryCall(messages_pb2.SimpleRequest(response_size=314159, payload=payload(271828)))
    expect(len(response.payload.body) == 314159 and response.payload.body == b"\x00" * 314159, "wrong payload")


def client_compressed_unary(stub, channel):
    # Our server must reject a request that claims it should have been compressed but was not.
    try:
        stub.UnaryCall(messages_pb2.SimpleRequest(expect_compressed=messages_pb2.BoolValue(value=True),
                                                  response_size=314159, payload=payload(271828)))
        raise Failure("uncompressed request with expect_compressed=true was accepted")
    except grpc.RpcError as error:
        expect_status(error, grpc.StatusCode.INVALID_ARGUMENT)
    for compressed in (True, False):
        response = stub.UnaryCall(
            messages_pb2.SimpleRequest(expect_compressed=messages_pb2.BoolValue(value=compressed),
                                       response_size=314159, payload=payload(271828)),
            compression=grpc.Compression.Gzip if compressed else grpc.Compression.NoCompression)
        expect(len(response.payload.body) == 314159, "wrong payload size")


def server_compressed_unary(stub, channel):
    for compressed in (True, False):
        response = stub.UnaryCall(messages_pb2.SimpleRequest(
            response_compressed=messages_pb2.BoolValue(value=compressed), response_size=314159, payload=payload(271828)))
        expect(len(response.payload.body) == 314159, "wrong payload size")


def client_streaming(stub, channel):
    response = stub.StreamingInputCall(iter([messages_pb2.StreamingInputCallRequest(payload=payload(s)) for s in REQUEST_SIZES]))
    expect(response.aggregated_payload_size == 74922, f"aggregated {response.aggregated_payload_size}")


def client_compressed_streaming(stub, channel):
    try:
        stub.StreamingInputCall(iter([messages_pb2.StreamingInputCallRequest(
            expect_compressed=messages_pb2.BoolValue(value=True), payload=payload(27182))]))
        raise Failure("uncompressed stream with expect_compressed=true was accepted")
    except grpc.RpcError as error:
        expect_status(error, grpc.StatusCode.INVALID_ARGUMENT)
    response = stub.StreamingInputCall(iter([messages_pb2.StreamingInputCallRequest(
        expect_compressed=messages_pb2.BoolValue(value=True), payload=payload(27182))]), compression=grpc.Compression.Gzip)
    expect(response.aggregated_payload_size == 27182, f"aggregated {response.aggregated_payload_size}")


def server_streaming(stub, channel):
    request = messages_pb2.StreamingOutputCallRequest(
        response_parameters=[messages_pb2.ResponseParameters(size=s) for s in RESPONSE_SIZES])
    sizes = [len(r.payload.body) for r in stub.StreamingOutputCall(request)]
    expect(sizes == RESPONSE_SIZES, f"sizes {sizes}")


def server_compressed_streaming(stub, channel):
    request = messages_pb2.StreamingOutputCallRequest(response_parameters=[
        messages_pb2.ResponseParameters(size=31415, compressed=messages_pb2.BoolValue(value=True)),
        messages_pb2.ResponseParameters(size=92653, compressed=messages_pb2.BoolValue(value=False))])
    sizes = [len(r.payload.body) for r in stub.StreamingOutputCall(request)]
    expect(sizes == [31415, 92653], f"sizes {sizes}")


class Pipe:
    """Requests fed one at a time, for ping-pong."""

    def __init__(self):
        import queue
        self.queue = queue.Queue()

    def add(self, item):
        self.queue.put(item)

    def close(self):
        self.queue.put(None)

    def __iter__(self):
        return self

    def __next__(self):
        item = self.queue.get()
        if item is None:
            raise StopIteration
        return item


def ping_pong(stub, channel):
    pipe = Pipe()
    responses = stub.FullDuplexCall(pipe)
    for request_size, response_size in zip(REQUEST_SIZES, RESPONSE_SIZES):
        pipe.add(messages_pb2.StreamingOutputCallRequest(
            response_parameters=[messages_pb2.ResponseParameters(size=response_size)], payload=payload(request_size)))
        response = next(responses)
        expect(len(response.payload.body) == response_size, f"size {len(response.payload.body)}")
    pipe.close()
    expect(next(responses, None) is None, "extra response")


def empty_stream(stub, channel):
    responses = list(stub.FullDuplexCall(iter([])))
    expect(responses == [], "responses to an empty stream")


def custom_metadata(stub, channel):
    metadata = ((ECHO_INITIAL, "test_initial_metadata_value"), (ECHO_TRAILING, b"\xab\xab\xab"))
    response, call = stub.UnaryCall.with_call(
        messages_pb2.SimpleRequest(response_size=314159, payload=payload(271828)), metadata=metadata)
    initial = dict(call.initial_metadata())
    trailing = dict(call.trailing_metadata())
    expect(initial.get(ECHO_INITIAL) == "test_initial_metadata_value", f"initial {initial}")
    expect(trailing.get(ECHO_TRAILING) == b"\xab\xab\xab", f"trailing {trailing}")

    call = stub.FullDuplexCall(iter([messages_pb2.StreamingOutputCallRequest(
        response_parameters=[messages_pb2.ResponseParameters(size=314159)], payload=payload(271828))]), metadata=metadata)
    for _ in call:
        pass
    expect(dict(call.initial_metadata()).get(ECHO_INITIAL) == "test_initial_metadata_value", "stream initial")
    expect(dict(call.trailing_metadata()).get(ECHO_TRAILING) == b"\xab\xab\xab", "stream trailing")


def _status_case(stub, message):
    status = messages_pb2.EchoStatus(code=2, message=message)
    try:
        stub.UnaryCall(messages_pb2.SimpleRequest(response_status=status))
        raise Failure("UnaryCall did not fail")
    except grpc.RpcError as error:
        expect_status(error, grpc.StatusCode.UNKNOWN, message)
    call = stub.FullDuplexCall(iter([messages_pb2.StreamingOutputCallRequest(response_status=status)]))
    try:
        for _ in call:
            pass
        raise Failure("FullDuplexCall did not fail")
    except grpc.RpcError as error:
        expect_status(error, grpc.StatusCode.UNKNOWN, message)


def status_code_and_message(stub, channel):
    _status_case(stub, "test status message")


def special_status_message(stub, channel):
    _status_case(stub, "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n")


def unimplemented_method(stub, channel):
    try:
        stub.UnimplementedCall(empty_pb2.Empty())
        raise Failure("UnimplementedCall succeeded")
    except grpc.RpcError as error:
        expect_status(error, grpc.StatusCode.UNIMPLEMENTED)


def unimplemented_service(stub, channel):
    try:
        test_pb2_grpc.UnimplementedServiceStub(channel).UnimplementedCall(empty_pb2.Empty())
        raise Failure("UnimplementedService succeeded")
    except grpc.RpcError as error:
        expect_status(error, grpc.StatusCode.UNIMPLEMENTED)


def cancel_after_begin(stub, channel):
    pipe = Pipe()
    future = stub.StreamingInputCall.future(pipe)
    future.cancel()
    expect(future.cancelled(), "not cancelled")


def cancel_after_first_response(stub, channel):
    pipe = Pipe()
    call = stub.FullDuplexCall(pipe)
    pipe.add(messages_pb2.StreamingOutputCallRequest(
        response_parameters=[messages_pb2.ResponseParameters(size=31415)], payload=payload(27182)))
    response = next(call)
    expect(len(response.payload.body) == 31415, "first response size")
    call.cancel()
    expect(call.code() == grpc.StatusCode.CANCELLED, f"code {call.code()}")


def timeout_on_sleeping_server(stub, channel):
    pipe = Pipe()
    call = stub.FullDuplexCall(pipe, timeout=0.001)
    pipe.add(messages_pb2.StreamingOutputCallRequest(payload=payload(27182)))
    try:
        next(call)
        raise Failure("no deadline")
    except grpc.RpcError as error:
        expect_status(error, grpc.StatusCode.DEADLINE_EXCEEDED)
    finally:
        pipe.close()


CASES = [empty_unary, large_unary, client_compressed_unary, server_compressed_unary, client_streaming,
         client_compressed_streaming, server_streaming, server_compressed_streaming, ping_pong, empty_stream,
         custom_metadata, status_code_and_message, special_status_message, unimplemented_method,
         unimplemented_service, cancel_after_begin, cancel_after_first_response, timeout_on_sleeping_server]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server_host", default="127.0.0.1")
    parser.add_argument("--server_port", type=int, required=True)
    parser.add_argument("--test_case", default="all")
    parser.add_argument("--use_tls", default="false")
    args = parser.parse_args()
    channel = grpc.insecure_channel(f"{args.server_host}:{args.server_port}")
    stub = test_pb2_grpc.TestServiceStub(channel)
    cases = CASES if args.test_case == "all" else [c for c in CASES if c.__name__ == args.test_case]
    if not cases:
        print(f"unknown test case {args.test_case}")
        return 2
    failed = 0
    for case in cases:
        started = time.monotonic()
        try:
            case(stub, channel)
            print(f"PASS {case.__name__} ({(time.monotonic() - started) * 1000:.0f} ms)", flush=True)
        except Exception as error:  # noqa: BLE001 - report every failure kind
            failed += 1
            print(f"FAIL {case.__name__}: {type(error).__name__}: {error}", flush=True)
    print(f"{len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
