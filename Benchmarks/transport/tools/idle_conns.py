#!/usr/bin/env python3
"""Memory with N idle HTTP/2 connections: what a server pays per connected, quiet client.

Each connection does what a real gRPC client does before its first call: TCP connect,
the HTTP/2 client preface and an empty SETTINGS frame, then ACKs the server's SETTINGS
(so the server's connection state is fully set up, not stuck in a handshake). Then all
connections stay open and silent while the server's RSS is read from /proc.

Prints one JSON line: rss before, rss with N connections held, and the per-connection
difference. Loopback only; the connections are closed before exiting.

Usage: idle_conns.py --port P --pid SERVER_PID [--count 1000] [--hold 3]
"""
import argparse
import json
import resource
import socket
import struct
import time

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
SETTINGS = 0x4
ACK = 0x1


def frame(ftype, flags, stream_id=0, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) + struct.pack(">I", stream_id) + payload


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def ack_server_settings(sock, deadline):
    """Reads frames until the server's SETTINGS (non-ACK) arrives, then ACKs it."""
    buf = b""
    sock.settimeout(max(0.05, deadline - time.monotonic()))
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except (socket.timeout, BlockingIOError):
            return False
        if not chunk:
            return False
        buf += chunk
        while len(buf) >= 9:
            length = int.from_bytes(buf[0:3], "big")
            if len(buf) < 9 + length:
                break
            ftype, flags = buf[3], buf[4]
            buf = buf[9 + length:]
            if ftype == SETTINGS and not flags & ACK:
                sock.sendall(frame(SETTINGS, ACK))
                return True
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--hold", type=float, default=3.0, help="seconds to wait before reading RSS")
    args = ap.parse_args()

    # 1,000 sockets need more than the usual 1,024 soft limit once stdio etc. are counted.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, args.count + 256)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))

    time.sleep(0.5)
    before = rss_kb(args.pid)
    socks, acked, failed = [], 0, 0
    for _ in range(args.count):
        try:
            s = socket.create_connection(("127.0.0.1", args.port), timeout=5)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            s.sendall(PREFACE + frame(SETTINGS, 0))
            socks.append(s)
        except OSError:
            failed += 1
    deadline = time.monotonic() + 10
    for s in socks:
        try:
            if ack_server_settings(s, deadline):
                acked += 1
        except OSError:
            pass
    time.sleep(args.hold)
    held = rss_kb(args.pid)
    alive = 0
    for s in socks:
        # A connection the server already closed reads as EOF (b"") right away.
        s.setblocking(False)
        try:
            alive += 0 if s.recv(1, socket.MSG_PEEK) == b"" else 1
        except BlockingIOError:
            alive += 1
        except OSError:
            pass
    for s in socks:
        s.close()

    result = {
        "count": args.count, "opened": len(socks), "acked": acked, "alive": alive,
        "connect_failed": failed, "rss_before_kb": before, "rss_held_kb": held,
    }
    if before is not None and held is not None and socks:
        result["per_conn_kb"] = round((held - before) / len(socks), 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
