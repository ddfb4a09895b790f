#!/usr/bin/env python3
"""Summarises one vegeta attack: reads `vegeta encode -to csv` on stdin and prints the result line read_result in
bench/run.sh reads (a failed request counts as non-2xx; rates per second of the attack's span; latencies in
microseconds, nearest-rank percentiles over every request, failed ones included).

    vegeta encode -to csv results.bin | bench/vegeta_summary.py
"""
import csv
import math
import sys

starts, latencies, ok, last_end = [], [], 0, 0
for row in csv.reader(sys.stdin):
    start_ns, code, latency_ns = int(row[0]), int(row[1]), int(row[2])
    starts.append(start_ns)
    latencies.append(latency_ns)
    last_end = max(last_end, start_ns + latency_ns)
    ok += 200 <= code < 300
if not latencies:
    sys.exit("vegeta_summary.py: no results")
latencies.sort()


def rank(p):
    return latencies[max(0, math.ceil(p / 100 * len(latencies)) - 1)] / 1000


span = (max(starts) - min(starts)) / 1e9 or 1e-9
wait_span = (last_end - min(starts)) / 1e9 or 1e-9
print("RESULT", len(latencies), len(latencies) - ok, 0, f"{len(latencies) / span:.1f}", f"{ok / wait_span:.1f}",
      *(f"{rank(p):.0f}" for p in (50, 99, 99.9)), f"{latencies[-1] / 1000:.0f}")
