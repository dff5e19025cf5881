"""grpcio (the reference implementation) as a client of an echo.Echo server.

Uses grpcio's generic API: bytes in, bytes out, no generated stubs. Runs the named cases (all
by default) against 127.0.0.1:PORT and prints one line per case, "PASS <case>" or
"FAIL <case>: <reason>". Exit status 0 when every case passed.

    python echo_client.py PORT [CASE ...]
"""
import sys
import threading
import time

import grpc

import peer_lifecycle

SPECIAL_MESSAGE = "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n"


def expect_error(call, code, details=None):
    try:
        call()
    except grpc.RpcError as error:
        assert error.code() == code, f"expected {code}, got {error.code()}: {error.details()}"
        if details is not None:
            assert error.details() == details, f"expected details {details!r}, got {error.details()!r}"
        return error
    raise AssertionError(f"expected {code}, call succeeded")


def run_cases(channel, cases):
    unary = channel.unary_unary("/echo.Echo/Unary")
    server_stream = channel.unary_stream("/echo.Echo/ServerStream")
    client_stream = channel.stream_unary("/echo.Echo/ClientStream")
    bidi = channel.stream_stream("/echo.Echo/Bidi")

    def case_unary():
        assert unary(b"hello", timeout=10) == b"hello"

    def case_empty_unary():
        assert unary(b"", timeout=10) == b""

    def case_large_unary():
        payload = bytes(range(256)) * 4096  # 1 MiB
        assert unary(payload, timeout=10) == payload

    def case_status_message():
        expect_error(lambda: unary(b"status:3:bad field 'x'", timeout=10), grpc.StatusCode.INVALID_ARGUMENT, "bad field 'x'")

    def case_special_status_message():
        request = ("status:2:" + SPECIAL_MESSAGE).encode("utf-8")
        expect_error(lambda: unary(request, timeout=10), grpc.StatusCode.UNKNOWN, SPECIAL_MESSAGE)

    def case_custom_metadata():
        metadata = (("x-echo-initial", "test_initial_metadata_value"), ("x-echo-trailing-bin", b"\xab\xab\xab"))
        response, call = unary.with_call(b"meta", metadata=metadata, timeout=10)
        assert response == b"meta"
        initial = dict(call.initial_metadata())
        trailing = dict(call.trailing_metadata())
        assert initial.get("x-echo-initial") == "test_initial_metadata_value", initial
        assert trailing.get("x-echo-trailing-bin") == b"\xab\xab\xab", trailing

    def case_streaming_metadata():
        metadata = (("x-echo-initial", "streaming"), ("x-echo-trailing-bin", b"\x00\x01"))
        call = bidi(iter([b"a", b"b"]), metadata=metadata, timeout=10)
        assert list(call) == [b"a", b"b"]
        assert dict(call.initial_metadata()).get("x-echo-initial") == "streaming"
        assert dict(call.trailing_metadata()).get("x-echo-trailing-bin") == b"\x00\x01"

    def case_deadline():
        expect_error(lambda: unary(b"sleep:5000", timeout=0.3), grpc.StatusCode.DEADLINE_EXCEEDED)

    def case_server_stream():
        assert list(server_stream(b"count:5", timeout=10)) == [b"0", b"1", b"2", b"3", b"4"]

    def case_server_stream_many():
        assert len(list(server_stream(b"count:2000", timeout=30))) == 2000

    def case_client_stream():
        assert client_stream(iter([b"a", b"bc", b"", b"d"]), timeout=10) == b"abcd"

    def case_empty_stream():
        assert client_stream(iter([]), timeout=10) == b""
        assert list(bidi(iter([]), timeout=10)) == []

    def case_bidi():
        assert list(bidi(iter([b"x", b"y", b"z"]), timeout=10)) == [b"x", b"y", b"z"]

    def case_ping_pong():
        lock = threading.Condition()
        outbox = []

        def requests():
            for index in range(4):
                with lock:
                    outbox.append(index)
                    yield f"ping{index}".encode()
                    lock.wait_for(lambda: len(outbox) == 0, timeout=10)

        call = bidi(requests(), timeout=10)
        for index, response in enumerate(call):
            assert response == f"ping{index}".encode(), response
            with lock:
                outbox.clear()
                lock.notify_all()

    def case_unimplemented_method():
        expect_error(lambda: channel.unary_unary("/echo.Echo/Nope")(b"", timeout=10), grpc.StatusCode.UNIMPLEMENTED)

    def case_unimplemented_service():
        expect_error(lambda: channel.unary_unary("/nope.Nope/Unary")(b"", timeout=10), grpc.StatusCode.UNIMPLEMENTED)

    def case_too_large():
        expect_error(lambda: unary(b"x" * (5 << 20), timeout=10), grpc.StatusCode.RESOURCE_EXHAUSTED)

    def case_compressed():
        payload = b"compressible " * 1000
        assert unary(payload, timeout=10, compression=grpc.Compression.Gzip) == payload
        assert unary(payload, timeout=10, compression=grpc.Compression.Deflate) == payload

    def case_cancel_after_begin():
        future = unary.future(b"sleep:5000", timeout=10)
        time.sleep(0.2)
        future.cancel()
        assert future.cancelled()

    def case_concurrent():
        futures = [unary.future(f"n{i}".encode(), timeout=10) for i in range(200)]
        for i, future in enumerate(futures):
            assert future.result() == f"n{i}".encode()

    cases_by_name = {name[len("case_"):]: fn for name, fn in locals().items() if name.startswith("case_")}
    failed = False
    for name in cases or cases_by_name:
        try:
            cases_by_name[name]()
            print(f"PASS {name}", flush=True)
        except Exception as error:  # noqa: BLE001 - report every failure, keep going
            failed = True
            print(f"FAIL {name}: {error!r}", flush=True)
    return failed


def main():
    peer_lifecycle.install()
    port = int(sys.argv[1])
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        failed = run_cases(channel, sys.argv[2:])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
