#!/usr/bin/env python3
"""How long the services take to serve again after the whole Kafka cluster was down (a laptop that slept, Docker
restarted), measured from the moment the cluster itself is ready again.

    bench/recovery.py [--build DIR] [--rounds N] [--down SECONDS]

Needs a local cluster it may stop and start (deploy/local/kafka.sh with the KAFKA_LOCAL_DIR / KAFKA_LOCAL_PORT_BASE
of the environment; ./test.sh's is KAFKA_LOCAL_DIR=data/test KAFKA_LOCAL_PORT_BASE=29092). For each variant of the
clients' reconnect backoff it starts the producer and consumer of DIR (default build/release) with that
KAFKA_CLIENT_CONFIG, and per round: a write and a read to warm up, `kafka.sh down`, SECONDS (default 15: long enough
for the clients' backoff to reach its maximum), `kafka.sh up` (returns once the brokers, ISR 3 and the group
coordinator are ready), then every 50 ms a write (POST /message/t) until it is answered 200, then a read (GET /{t})
until 200. Prints one table; the means compare the variants of the same run."""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KAFKA = ROOT / "deploy/local/kafka.sh"
VARIANTS = [
    ("librdkafka default backoff (reconnect.backoff.max.ms=10000)", "reconnect.backoff.max.ms=10000"),
    ("project default (reconnect.backoff.max.ms=1000)", ""),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(method: str, url: str, body: bytes | None = None, timeout: float = 5) -> int:
    req = urllib.request.Request(url, data=body, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except (urllib.error.URLError, OSError):
        return 0


def until_ok(method: str, url: str, body: bytes | None = None, limit: float = 120) -> float:
    """Seconds until METHOD URL answers 200 (tried every 50 ms), or inf past LIMIT."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if request(method, url, body) == 200:
            return time.monotonic() - start
        time.sleep(0.05)
    return float("inf")


def kafka(*args: str) -> None:
    subprocess.run([str(KAFKA), *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def bootstrap() -> str:
    return subprocess.run([str(KAFKA), "bootstrap"], check=True, capture_output=True, text=True).stdout.strip()


class Services:
    def __init__(self, build: Path, client_config: str, logs: Path):
        self.producer_port, self.consumer_port = free_port(), free_port()
        env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": bootstrap(), "KAFKA_CLIENT_CONFIG": client_config,
               "LOG_LEVEL": "warn", "READINESS_INTERVAL": "1s"}
        self.procs = []
        for name, port in (("producer", self.producer_port), ("consumer", self.consumer_port)):
            log = open(logs / f"recovery-{name}.log", "a")
            self.procs.append(subprocess.Popen([str(build / f"services/{name}/kok-{name}")],
                                               env={**env, "HTTP_PORT": str(port)}, stdout=log, stderr=log))
        for port in (self.producer_port, self.consumer_port):
            if until_ok("GET", f"http://127.0.0.1:{port}/healthz", limit=30) == float("inf"):
                raise SystemExit(f"a service on port {port} did not start (logs in {logs})")

    def stop(self) -> None:
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            p.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=ROOT / "build/release")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--down", type=float, default=15)
    args = parser.parse_args()
    logs = Path(os.environ.get("TMPDIR", "/tmp"))
    rows = []
    for label, config in VARIANTS:
        services = Services(args.build, config, logs)
        p = f"http://127.0.0.1:{services.producer_port}"
        c = f"http://127.0.0.1:{services.consumer_port}"
        try:
            for n in range(args.rounds):
                topic = f"recovery-{int(time.time())}-{n}"
                if request("POST", f"{p}/topic/{topic}") != 200:
                    raise SystemExit(f"could not create {topic}")
                until_ok("POST", f"{p}/message/{topic}", b"before", limit=30)
                until_ok("GET", f"{c}/{topic}", limit=30)
                kafka("down")
                time.sleep(args.down)
                kafka("up", "--timeout", "180")
                write = until_ok("POST", f"{p}/message/{topic}", b"after")
                read = until_ok("GET", f"{c}/{topic}")
                rows.append((label, n + 1, write, read))
                print(f"{label}, round {n + 1}: write {write:.2f} s, read {read:.2f} s", file=sys.stderr)
        finally:
            services.stop()
    print("| clients | round | first write 200 | then first read 200 |")
    print("|---|---|---|---|")
    for label, n, write, read in rows:
        print(f"| {label} | {n} | {write:.2f} s | {read:.2f} s |")
    means = {}
    for label, _ in VARIANTS:
        mine = [r for r in rows if r[0] == label]
        means[label] = [statistics.mean(r[i] for r in mine) for i in (2, 3)]
    before, after = (means[label] for label, _ in VARIANTS)
    print()
    print("mean, default backoff → project backoff: " + ", ".join(
        f"{what} {b:.2f} s → {a:.2f} s" for what, b, a in zip(("write", "read"), before, after)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
