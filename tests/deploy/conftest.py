"""Shared helpers for the deployment checks: render the kustomize overlays once, parse YAML, find the repo's files.

Nothing here needs a cluster or Docker: kustomize renders the manifests, and the tests read files.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
KIND_DIR = ROOT / "deploy" / "kind"


def read_versions() -> dict[str, str]:
    """versions.env as a dict (the same KEY=VALUE rules as scripts/lib/common.sh)."""
    out = {}
    for line in (ROOT / "versions.env").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        out[key] = value
    return out


def kustomize_command() -> list[str]:
    for candidate in (ROOT / ".cache" / "bin" / "kustomize", shutil.which("kustomize")):
        if candidate and os.access(candidate, os.X_OK):
            return [str(candidate), "build"]
    kubectl = shutil.which("kubectl")
    if kubectl:
        return [kubectl, "kustomize"]
    pytest.fail("no kustomize: run scripts/install-k8s-tools.sh")


def render(directory: Path) -> list[dict]:
    """kustomize build DIRECTORY, parsed into a list of objects."""
    result = subprocess.run(kustomize_command() + [str(directory)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"kustomize build {directory} failed:\n{result.stderr}"
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def render_with_ui(overlay: str) -> list[dict]:
    """An overlay plus the kafka-ui component, the way deploy-kind.sh --with-ui composes them."""
    scratch = ROOT / ".cache" / "deploy-checks" / f"{overlay}-with-ui"
    scratch.mkdir(parents=True, exist_ok=True)
    (scratch / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\n"
        "kind: Kustomization\n"
        f"resources:\n  - ../../../deploy/k8s/overlays/{overlay}\n"
        "components:\n  - ../../../deploy/k8s/components/kafka-ui\n"
    )
    return render(scratch)


RENDERINGS = {
    "kind": lambda: render(K8S / "overlays" / "kind"),
    "cloud": lambda: render(K8S / "overlays" / "cloud"),
    "kind+ui": lambda: render_with_ui("kind"),
}
_cache: dict[str, list[dict]] = {}


def rendered(name: str) -> list[dict]:
    if name not in _cache:
        _cache[name] = RENDERINGS[name]()
    return _cache[name]


@pytest.fixture(params=sorted(RENDERINGS))
def manifests(request) -> list[dict]:
    """Every rendering in turn (kind, cloud, kind+ui)."""
    return rendered(request.param)


@pytest.fixture
def kind_manifests() -> list[dict]:
    return rendered("kind")


@pytest.fixture
def cloud_manifests() -> list[dict]:
    return rendered("cloud")


def find(objects: list[dict], kind: str, name: str, namespace: str | None = None) -> dict:
    hits = [o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name
            and (namespace is None or o["metadata"].get("namespace") == namespace)]
    assert len(hits) == 1, f"expected one {kind} {name}, found {len(hits)}"
    return hits[0]


def workloads(objects: list[dict]) -> list[dict]:
    return [o for o in objects if o["kind"] in ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob")]


def env_of(container: dict) -> dict[str, dict]:
    return {e["name"]: e for e in container.get("env", [])}
