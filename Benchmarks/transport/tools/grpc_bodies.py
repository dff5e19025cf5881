#!/usr/bin/env python3
"""Writes the pre-encoded gRPC request bodies that h2load posts.

Encoded by hand (the proto3 wire format is small enough to spell out, and this needs no
grpcio-tools): every byte below is explained, and `protoc --decode` can check the files,
which Benchmarks/transport/run does when protoc is present.

  unary.bin   SimpleRequest { response_size: 100, payload { body: 100 x 0x00 } }
              -> the reply is SimpleResponse { payload { body: 100 x 0x00 } }
  stream.bin  StreamingOutputCallRequest { response_parameters: N x { size: 100 } }
              -> N replies of StreamingOutputCallResponse { payload { body: 100 bytes } }

Each file is one gRPC length-prefixed message: 1 byte "compressed" flag (0), a 4-byte
big-endian length, then the protobuf bytes.

Usage: grpc_bodies.py OUT_DIR [STREAM_MESSAGES]
"""
import os
import struct
import sys


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field_varint(number: int, value: int) -> bytes:
    return varint(number << 3 | 0) + varint(value)  # wire type 0: varint


def field_bytes(number: int, value: bytes) -> bytes:
    return varint(number << 3 | 2) + varint(len(value)) + value  # wire type 2: length-delimited


def grpc_frame(message: bytes) -> bytes:
    return b"\x00" + struct.pack(">I", len(message)) + message


def payload(size: int) -> bytes:
    # Payload { type: COMPRESSABLE (0, the default, so not encoded); body (2): size zero bytes }
    return field_bytes(2, bytes(size))


def unary_request() -> bytes:
    # SimpleRequest: response_size (2) = 100; payload (3) = Payload{100 bytes}
    return field_varint(2, 100) + field_bytes(3, payload(100))


def stream_request(messages: int) -> bytes:
    # StreamingOutputCallRequest: response_parameters (2), repeated ResponseParameters{size (1)}
    one = field_bytes(2, field_varint(1, 100))
    return one * messages


def main() -> None:
    out_dir = sys.argv[1]
    messages = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    os.makedirs(out_dir, exist_ok=True)
    for name, msg in (("unary", unary_request()), ("stream", stream_request(messages))):
        with open(os.path.join(out_dir, name + ".bin"), "wb") as f:
            f.write(grpc_frame(msg))
        with open(os.path.join(out_dir, name + ".pb"), "wb") as f:  # unframed, for protoc --decode
            f.write(msg)


if __name__ == "__main__":
    main()
