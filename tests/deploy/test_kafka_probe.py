"""The brokers' readiness probe speaks the Kafka protocol from bash (an ApiVersions request over /dev/tcp). Run the
exact command from the rendered StatefulSet against a real broker when one is reachable (./test.sh exports
KAFKA_BOOTSTRAP_SERVERS for its test cluster), and against a socket that is not Kafka."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading

import pytest

from conftest import find, rendered


def probe_command(port: int) -> list[str]:
    sts = find(rendered("kind"), "StatefulSet", "kafka", "kok")
    command = sts["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["exec"]["command"]
    assert command[:2] == ["bash", "-c"] and "/dev/tcp/127.0.0.1/9092" in command[2]
    # The kubelet enforces timeoutSeconds; `timeout` plays that part here.
    return ["timeout", "5", "bash", "-c", command[2].replace("/dev/tcp/127.0.0.1/9092", f"/dev/tcp/127.0.0.1/{port}")]


def local_broker_port() -> int | None:
    for server in os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "").split(","):
        host, _, port = server.strip().rpartition(":")
        if host in ("127.0.0.1", "localhost") and port.isdigit():
            try:
                socket.create_connection(("127.0.0.1", int(port)), timeout=1).close()
                return int(port)
            except OSError:
                continue
    return None


pytestmark = pytest.mark.skipif(shutil.which("timeout") is None or shutil.which("od") is None,
                                reason="needs coreutils timeout and od")


def test_ready_broker_passes():
    port = local_broker_port()
    if port is None:
        pytest.skip("no local broker (KAFKA_BOOTSTRAP_SERVERS on 127.0.0.1) to probe")
    assert subprocess.run(probe_command(port), capture_output=True, check=False).returncode == 0


def test_something_else_on_the_port_fails():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        # Accept and answer with bytes that are not a Kafka response.
        def answer():
            conn, _ = server.accept()
            with conn:
                conn.recv(64)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
        threading.Thread(target=answer, daemon=True).start()
        assert subprocess.run(probe_command(port), capture_output=True, check=False).returncode != 0


def test_closed_port_fails():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert subprocess.run(probe_command(port), capture_output=True, check=False).returncode != 0
