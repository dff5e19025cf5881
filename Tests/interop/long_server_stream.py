#!/usr/bin/env python3
"""A long, busy server stream read by grpcio: grpcio's flow control sends BDP-probe PINGs
as data arrives, which a server must not count as abuse while it is sending (gRPC C-core
forgives pings whenever it sends data). A few concurrent streams on one channel, many small
messages each, sent in bursts with a 20 ms server-side pause every 50 messages, so the client
keeps probing (before the fix, one such stream drew GOAWAY too_many_pings after ~1,400).

  long_server_stream.py --port N [--streams 2] [--messages 3000]
Prints "long streams: OK <total messages>" and exits 0, or the failure and exits 1."""
import argparse
import sys
import threading

import grpc

import grpc_testing

empty_pb2, messages_pb2, test_pb2, test_pb2_grpc = grpc_testing.load()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--streams", type=int, default=2)
    parser.add_argument("--messages", type=int, default=3000)
    args = parser.parse_args()
    channel = grpc.insecure_channel(f"127.0.0.1:{args.port}")
    grpc.channel_ready_future(channel).result(timeout=10)
    stub = test_pb2_grpc.TestServiceStub(channel)
    request = messages_pb2.StreamingOutputCallRequest(
        response_parameters=[messages_pb2.ResponseParameters(size=64, interval_us=20_000 if index % 50 == 0 else 0)
                             for index in range(args.messages)])
    errors, received = [], []

    def read_one():
        count = 0
        try:
            for _ in stub.StreamingOutputCall(request, timeout=60):
                count += 1
        except grpc.RpcError as error:
            errors.append(f"{error.code().name}: {error.details()}")
        received.append(count)

    threads = [threading.Thread(target=read_one) for _ in range(args.streams)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = sum(received)
    if errors or total != args.streams * args.messages:
        print(f"long streams: FAILED after {total} of {args.streams * args.messages} messages: {errors[:3]}")
        return 1
    print(f"long streams: OK {total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
