"""grpcio (the reference implementation) as an echo.Echo server, through the generic API.

Same semantics as the Swift TestEchoService: `status:<code>:<message>` fails, `sleep:<ms>`
sleeps, `count:<n>` streams n messages, metadata `x-echo-initial` / `x-echo-trailing-bin` is
echoed. Binds 127.0.0.1 on a free port and writes the port to PORT_FILE once serving.

    python echo_server.py PORT_FILE
"""
import os
import sys
import time
from concurrent import futures

import grpc

import peer_lifecycle

CODES = {code.value[0]: code for code in grpc.StatusCode}


def echo_metadata(context):
    metadata = context.invocation_metadata()
    initial = [(key, value) for key, value in metadata if key == "x-echo-initial"]
    if initial:
        context.send_initial_metadata(initial)
    trailing = [(key, value) for key, value in metadata if key == "x-echo-trailing-bin"]
    if trailing:
        context.set_trailing_metadata(trailing)


def respond(request, context):
    text = request.decode("utf-8", "replace")
    if text.startswith("status:"):
        _, code, message = text.split(":", 2)
        context.abort(CODES.get(int(code), grpc.StatusCode.UNKNOWN), message)
    if text.startswith("sleep:"):
        deadline = time.time() + int(text[6:]) / 1000
        while time.time() < deadline and context.is_active():
            time.sleep(0.01)
    return request


def unary(request, context):
    echo_metadata(context)
    return respond(request, context)


def server_stream(request, context):
    echo_metadata(context)
    text = request.decode("utf-8", "replace")
    if text.startswith("count:"):
        for index in range(int(text[6:])):
            yield str(index).encode()
        return
    yield respond(request, context)


def client_stream(requests, context):
    echo_metadata(context)
    return b"".join(requests)


def bidi(requests, context):
    echo_metadata(context)
    for request in requests:
        yield respond(request, context)


def main():
    peer_lifecycle.install()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=32))
    handlers = {
        "Unary": grpc.unary_unary_rpc_method_handler(unary),
        "ServerStream": grpc.unary_stream_rpc_method_handler(server_stream),
        "ClientStream": grpc.stream_unary_rpc_method_handler(client_stream),
        "Bidi": grpc.stream_stream_rpc_method_handler(bidi),
    }
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("echo.Echo", handlers),))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    temporary = sys.argv[1] + ".tmp"
    with open(temporary, "w") as handle:
        handle.write(str(port))
    os.replace(temporary, sys.argv[1])
    server.wait_for_termination()


if __name__ == "__main__":
    main()
