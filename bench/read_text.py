#!/usr/bin/env python3
"""Reads messages of TOPIC one by one through GET /{t} (text) on ONE keep-alive connection and prints
"MESSAGES REQUESTS SECONDS NON2XX" (monotonic clock). Stops at COUNT messages or after LIMIT seconds.

    bench/read_text.py HOST PORT TOPIC COUNT LIMIT
"""
import http.client
import sys
import time

if len(sys.argv) != 6:
    sys.exit(__doc__)
host, port, topic, count, limit = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
path = f"/{topic}"
conn = http.client.HTTPConnection(host, port, timeout=max(limit, 1.0))
messages = requests = other = 0
started = time.monotonic()
deadline = started + limit
while messages < count and time.monotonic() < deadline:
    conn.request("GET", path)
    resp = conn.getresponse()
    resp.read()
    requests += 1
    if resp.status == 200:
        messages += 1
    else:  # 404: nothing within the service's short wait
        other += 1
elapsed = time.monotonic() - started
conn.close()
print(messages, requests, f"{elapsed:.6f}", other)
