#!/usr/bin/env python3
"""Time to the first SSE event of a stream, over one keep-alive connection (loopback only).

The harness's TTFB (curl's time_starttransfer) is the first byte of the response, which is the status
line. A gateway may send its headers at once and hold the first event back (in a buffer, or in the
kernel: Nagle's algorithm waiting for a delayed ACK). This probe reports both, plus the whole stream:

  first_event.py [-n 200] [-H 'Name: value' ...] URL BODY_FILE
  FIRST-EVENT url=... n=200 headers_p50_ms=.. headers_p99_ms=.. event_p50_ms=.. event_p99_ms=.. total_p50_ms=.. total_p99_ms=.. errors=0

Requests go one after another on one connection (like load.sh --ttfb); the first 10 are warm-up.
"""
import argparse
import socket
import sys
import time
from urllib.parse import urlsplit


def percentile(values, p):
    ordered = sorted(values)
    k = max(1, min(len(ordered), int(p / 100 * len(ordered) + 0.999999)))
    return ordered[k - 1]


def one_stream(sock, request):
    start = time.perf_counter()
    sock.sendall(request)
    buf = b""
    headers_at = event_at = None
    while True:
        data = sock.recv(65536)
        if not data:
            raise ConnectionError("connection closed mid-stream")
        now = time.perf_counter()
        if headers_at is None:
            headers_at = now
        buf += data
        head_end = buf.find(b"\r\n\r\n")
        if event_at is None and head_end >= 0 and buf.find(b"data: ", head_end) >= 0:
            event_at = now
        if head_end >= 0 and buf.endswith(b"\r\n0\r\n\r\n"):
            status = int(buf[9:12])
            return status, (headers_at - start) * 1000, ((event_at or now) - start) * 1000, (now - start) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("-H", dest="headers", action="append", default=[])
    parser.add_argument("url")
    parser.add_argument("body")
    args = parser.parse_args()
    url = urlsplit(args.url)
    if url.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("first_event.py: loopback targets only")
    body = open(args.body, "rb").read()
    lines = [f"POST {url.path} HTTP/1.1", f"Host: {url.netloc}", "Content-Type: application/json",
             f"Content-Length: {len(body)}"] + args.headers
    request = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
    sock = socket.create_connection((url.hostname, url.port or 80), timeout=10)
    heads, events, totals, errors = [], [], [], 0
    for i in range(args.n + 10):
        status, head, event, total = one_stream(sock, request)
        if i < 10:
            continue
        if status != 200:
            errors += 1
        heads.append(head)
        events.append(event)
        totals.append(total)
    sock.close()
    fields = [f"url={args.url}", f"n={args.n}"]
    for name, values in (("headers", heads), ("event", events), ("total", totals)):
        fields += [f"{name}_p50_ms={percentile(values, 50):.3f}", f"{name}_p99_ms={percentile(values, 99):.3f}"]
    print("FIRST-EVENT " + " ".join(fields) + f" errors={errors}")


if __name__ == "__main__":
    main()
