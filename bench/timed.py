#!/usr/bin/env python3
"""Runs a command and prints "LINES SECONDS": how many lines it wrote to stdout and its wall time (monotonic clock).

    bench/timed.py kcat -C -b HOST:PORT -t TOPIC -e -o beginning
The command's stdin is inherited; its stdout is counted here and discarded; stderr passes through.
"""
import subprocess
import sys
import time

if len(sys.argv) < 2:
    sys.exit(__doc__)
lines = 0
started = time.monotonic()
with subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE) as proc:
    for chunk in iter(lambda: proc.stdout.read(1 << 16), b""):
        lines += chunk.count(b"\n")
    code = proc.wait()
elapsed = time.monotonic() - started
if code != 0:
    sys.exit(f"timed.py: {sys.argv[1]} exited with {code}")
print(lines, f"{elapsed:.6f}")
