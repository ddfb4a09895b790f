#!/usr/bin/env python3
"""Reads COUNT events of TOPIC from the Server-Sent Events stream GET /consumer/{t}/stream (one connection) and prints
"EVENTS 1 SECONDS 0" (monotonic clock), counting `data:` lines. Stops at COUNT events or after LIMIT seconds.

    bench/read_sse.py HOST PORT TOPIC COUNT LIMIT
"""
import http.client
import socket
import sys
import time

if len(sys.argv) != 6:
    sys.exit(__doc__)
host, port, topic, count, limit = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
pattern = b"\ndata:"
started = time.monotonic()
deadline = started + limit
conn = http.client.HTTPConnection(host, port, timeout=max(limit, 1.0))
conn.request("GET", f"/consumer/{topic}/stream", headers={"Accept": "text/event-stream"})
resp = conn.getresponse()
if resp.status != 200:
    sys.exit(f"read_sse.py: {resp.status} {resp.reason}")
events = 0
carry = b"\n"  # a stream that starts with a data line
while events < count:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        break
    conn.sock.settimeout(remaining)
    try:
        chunk = resp.read1(1 << 16)
    except socket.timeout:
        break
    if not chunk:
        break
    data = carry + chunk
    events += data.count(pattern)
    carry = data[-(len(pattern) - 1):]
elapsed = time.monotonic() - started
conn.close()
print(events, 1, f"{elapsed:.6f}", 0)
