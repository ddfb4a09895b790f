"""deploy/kind/deploy-kind.sh end to end against stand-ins for docker, kind and kubectl (tests/deploy/stubs): the
cluster config it creates, the images it builds and loads, the manifests it applies, and that it leaves the
repository untouched. The real kustomize renders. What only a live cluster shows is left to ./test.sh --kind."""
from __future__ import annotations

import hashlib
import os
import socket
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, read_versions

SCRIPT = ROOT / "deploy" / "kind" / "deploy-kind.sh"
STUBS = Path(__file__).parent / "stubs"
IMAGE_OVERRIDES = ("KAFKA_IMAGE", "TRAEFIK_IMAGE", "KAFKA_UI_IMAGE", "PRODUCER_IMAGE", "CONSUMER_IMAGE",
                   "KIND_NODE_IMAGE", "BUILDER_IMAGE", "RUNTIME_IMAGE", "KIND_CLUSTER_NAME", "KIND_LISTEN_ADDRESS")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Deploy:
    def __init__(self, tmp_path: Path):
        self.state = tmp_path / "state"
        self.state.mkdir()
        self.data = tmp_path / "data & dir's"  # to catch quoting and escaping mistakes
        self.http_port = free_port()
        self.https_port = free_port()
        self.env = {k: v for k, v in os.environ.items() if k not in IMAGE_OVERRIDES}
        self.env.update(PATH=f"{STUBS}{os.pathsep}{os.environ['PATH']}", STUB_STATE=str(self.state))

    def run(self, *args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run([str(SCRIPT), *args], env={**self.env, **(env or {})}, cwd=ROOT,
                                capture_output=True, text=True, timeout=120, check=False)
        if check:
            assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
        return result

    def up(self, *extra: str, env: dict | None = None, check: bool = True):
        return self.run("up", "--data-dir", str(self.data), "--http-port", str(self.http_port),
                        "--https-port", str(self.https_port), "--no-smoke", *extra, env=env, check=check)

    def calls(self) -> list[str]:
        path = self.state / "calls"
        return path.read_text().splitlines() if path.exists() else []

    def applied(self) -> list[dict]:
        return [d for d in yaml.safe_load_all((self.state / "applied.yaml").read_text()) if d]

    def images(self) -> dict[str, str]:
        out = {}
        for doc in self.applied():
            if doc["kind"] in ("Deployment", "StatefulSet"):
                for c in doc["spec"]["template"]["spec"]["containers"]:
                    out[doc["metadata"]["name"]] = c["image"]
        return out


@pytest.fixture
def deploy(tmp_path):
    return Deploy(tmp_path)


def inputs_digest() -> dict[str, str]:
    """Content hashes of everything a deploy reads from the repository (other work may change other files meanwhile)."""
    out = {}
    for top in ("deploy/k8s", "deploy/kind", "images/service", "versions.env"):
        path = ROOT / top
        for f in sorted([path] if path.is_file() else path.rglob("*")):
            if f.is_file():
                out[str(f.relative_to(ROOT))] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


def test_up_creates_the_cluster_the_issue_describes(deploy):
    deploy.up()
    config = yaml.safe_load((deploy.state / "cluster.yaml").read_text())
    nodes = config["nodes"]
    assert [n["role"] for n in nodes] == ["control-plane", "worker", "worker", "worker"]
    node_image = read_versions()["KIND_NODE_IMAGE"]
    assert all(n["image"] == node_image for n in nodes)
    control = nodes[0]
    assert control["labels"] == {"ingress-ready": "true"}
    mappings = {m["containerPort"]: m for m in control["extraPortMappings"]}
    assert mappings[80]["hostPort"] == deploy.http_port and mappings[443]["hostPort"] == deploy.https_port
    assert all(m["listenAddress"] == "127.0.0.1" for m in mappings.values())
    assert "extraMounts" not in control
    for worker in nodes[1:]:
        assert worker["extraMounts"] == [{"hostPath": str(deploy.data.resolve()), "containerPath": "/var/lib/kok-data"}]
    # The per-broker directories exist and uid 1000 can write them (hostPath ignores fsGroup).
    for n in range(3):
        d = deploy.data / f"kafka-{n}"
        assert d.is_dir()
        st = d.stat()
        assert st.st_uid == 1000 or (st.st_mode & 0o777) == 0o777


def test_up_builds_loads_and_applies_pinned_images(deploy):
    before = inputs_digest()
    deploy.up()
    versions = read_versions()
    calls = deploy.calls()
    builds = [c for c in calls if c.startswith("docker build")]
    assert len(builds) == 2 and any("SERVICE=producer" in b for b in builds) and any("SERVICE=consumer" in b for b in builds)
    images = deploy.images()
    tag = images["producer"].split(":", 1)[1]
    commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                            check=False).stdout.strip()
    assert tag != "latest" and (not commit or tag.startswith(commit)), tag
    assert images == {"producer": f"kok-producer:{tag}", "consumer": f"kok-consumer:{tag}",
                      "kafka": f"apache/kafka:{versions['KAFKA_VERSION']}",
                      "traefik": f"traefik:{versions['TRAEFIK_VERSION']}"}
    for image in (images["producer"], images["consumer"]):
        assert f"kind load docker-image {image} --name kok" in calls
    cluster = [d for d in deploy.applied() if d["kind"] == "ConfigMap" and d["metadata"]["name"].startswith("kafka-cluster")]
    assert cluster[0]["data"] == {"CLUSTER_ID": versions["KAFKA_CLUSTER_ID"]}
    for what in ("deployment/traefik", "statefulset/kafka", "deployment/producer", "deployment/consumer"):
        assert any("rollout status " + what in c for c in calls), what
    # A deploy never modifies the repository (its scratch files live in the ignored .cache/).
    assert inputs_digest() == before

    # A second run repairs or does nothing: no new cluster, no rebuild.
    (deploy.state / "calls").unlink()
    deploy.up()
    again = deploy.calls()
    assert not [c for c in again if c.startswith(("kind create", "docker build"))]
    assert deploy.images()["producer"] == images["producer"]


def test_every_image_can_be_overridden(deploy):
    overrides = {
        "KIND_NODE_IMAGE": "kindest/node:v1.34.0-offline",
        "KAFKA_IMAGE": "localhost:5000/kafka:4.4.0-offline",
        "TRAEFIK_IMAGE": "traefik:v3.6.12-offline",
        "PRODUCER_IMAGE": "kok-producer:given",
        "CONSUMER_IMAGE": "kok-consumer@sha256:" + "a" * 64,
        "KAFKA_UI_IMAGE": "kafka-ui:offline",
    }
    deploy.up("--with-ui", env=overrides)
    config = yaml.safe_load((deploy.state / "cluster.yaml").read_text())
    assert {n["image"] for n in config["nodes"]} == {overrides["KIND_NODE_IMAGE"]}
    assert not [c for c in deploy.calls() if c.startswith("docker build")]
    assert deploy.images() == {"kafka": overrides["KAFKA_IMAGE"], "traefik": overrides["TRAEFIK_IMAGE"],
                               "producer": overrides["PRODUCER_IMAGE"], "consumer": overrides["CONSUMER_IMAGE"],
                               "kafka-ui": overrides["KAFKA_UI_IMAGE"]}


def test_latest_is_refused(deploy):
    result = deploy.up(env={"KAFKA_IMAGE": "apache/kafka:latest"}, check=False)
    assert result.returncode != 0 and "latest" in result.stderr
    result = deploy.up(env={"TRAEFIK_IMAGE": "traefik"}, check=False)
    assert result.returncode != 0 and "no tag" in result.stderr


def test_with_ui_adds_the_pinned_kafka_ui_and_a_later_run_removes_it(deploy):
    deploy.up("--with-ui")
    assert deploy.images()["kafka-ui"] == f"ghcr.io/kafbat/kafka-ui:{read_versions()['KAFKA_UI_VERSION']}"
    deploy.up()
    assert "kafka-ui" not in deploy.images()
    assert any("delete deployment/kafka-ui" in c for c in deploy.calls())


def test_an_existing_cluster_keeps_its_data_directory(deploy, tmp_path):
    deploy.up()
    result = deploy.run("up", "--data-dir", str(tmp_path / "elsewhere"), "--no-smoke", check=False)
    assert result.returncode != 0 and "already mounts" in result.stderr


def test_status_prints_gateway_and_bootstrap(deploy):
    result = deploy.run("status", check=False)
    assert result.returncode != 0 and "not created" in result.stdout
    deploy.up()
    lines = deploy.run("status").stdout.splitlines()
    assert f"gateway: http://localhost:{deploy.http_port}" in lines
    bootstrap = [line for line in lines if line.startswith("bootstrap: ")]
    assert bootstrap == ["bootstrap: " + ",".join(
        f"kafka-{n}.kafka-headless.kok.svc.cluster.local:9092" for n in range(3))]


def test_down_keeps_the_data_and_purge_deletes_it(deploy):
    deploy.up()
    marker = deploy.data / "kafka-0" / "meta.properties"
    marker.write_text("cluster.id=x\n")
    deploy.run("down")
    assert not (deploy.state / "cluster").exists() and marker.exists()
    deploy.up()
    deploy.run("down", "--purge")
    assert not list(deploy.data.glob("kafka-*"))


def test_help_and_bad_arguments(deploy):
    assert "deploy-kind.sh [up]" in deploy.run("--help").stdout
    result = deploy.run("--bogus", check=False)
    assert result.returncode != 0 and "unknown argument" in result.stderr
