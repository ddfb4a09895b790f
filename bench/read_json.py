#!/usr/bin/env python3
"""Reads COUNT records of TOPIC through GET /consumer/{t}?max=100 (Accept: application/json) on ONE keep-alive
connection and prints "RECORDS REQUESTS SECONDS NON2XX" (monotonic clock). Stops at COUNT records or after LIMIT seconds.

    bench/read_json.py HOST PORT TOPIC COUNT LIMIT
"""
import http.client
import json
import sys
import time

if len(sys.argv) != 6:
    sys.exit(__doc__)
host, port, topic, count, limit = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
path = f"/consumer/{topic}?max=100"
headers = {"Accept": "application/json"}
conn = http.client.HTTPConnection(host, port, timeout=max(limit, 1.0))
records = requests = other = 0
started = time.monotonic()
deadline = started + limit
while records < count and time.monotonic() < deadline:
    conn.request("GET", path, headers=headers)
    resp = conn.getresponse()
    body = resp.read()
    requests += 1
    if resp.status == 200:
        records += len(json.loads(body))
    elif resp.status != 204:  # 204: nothing within the wait; anything else is counted
        other += 1
elapsed = time.monotonic() - started
conn.close()
print(records, requests, f"{elapsed:.6f}", other)
