#!/usr/bin/env python3
"""The brokers' stop-the-world GC pauses in a time window, from the GC logs deploy/local/kafka.sh has each broker
write (-Xlog:gc with the `time` decorator). Prints "PAUSES LONGEST_MS TOTAL_MS" over every log given.

    bench/gc_pauses.py FROM_EPOCH_SECONDS TO_EPOCH_SECONDS data/bench/logs/gc-*.log
"""
import datetime
import re
import sys

# [2026-12-03T22:10:00.123+0000][12.345s] GC(5) Pause Young (Normal) (G1 Evacuation Pause) 120M->30M(256M) 8.123ms
PAUSE = re.compile(r"^\[([^\]]+)\].*\bPause\b.* (\d+(?:\.\d+)?)ms$")

start, end = float(sys.argv[1]), float(sys.argv[2])
pauses = []
for path in sys.argv[3:]:
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            match = PAUSE.match(line.rstrip())
            if not match:
                continue
            at = datetime.datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
            if start <= at <= end:
                pauses.append(float(match.group(2)))
print(len(pauses), f"{max(pauses, default=0):.1f}", f"{sum(pauses):.1f}")
